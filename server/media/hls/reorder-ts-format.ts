// MPEG-TS segment format that writes correct DTS for streams with B-frames.
// mediabunny 1.61 only receives presentation timestamps and derives DTS by sorting the PTS of each GOP. With
// B-frames that yields DTS > PTS for reordered pictures (e.g. PTS 0,120,40,80 ms → DTS 0,40,80,120: the B-frame at
// 40 ms gets DTS 80 ms), which decoders reject or "fix" by shifting. The correct DTS is the sorted PTS minus the
// stream's reorder delay. We measure that delay per GOP (max of sortedPts[i] - pts[i]) and keep the running maximum
// so DTS stays monotonic across GOPs and segments. This replaces one small internal method of the pinned version;
// test/media checks DTS <= PTS with ffprobe, so a mediabunny upgrade that changes internals fails loudly.
import { MpegTsOutputFormat } from 'mediabunny';
import { writePes, type PesPacket, type PesTrack, type TsWriter } from './ts-writer';

interface QueuedPacket { presentationTimestamp: number; decodeTimestamp: number | null }
interface TsTrackData { track: { type: string }; timestampProcessingQueue: QueuedPacket[]; packetQueue: QueuedPacket[] }
interface TsMuxerInternals {
  writer: TsWriter;
  continuityCounters: Map<number, number>;
  writePesPacket?: (trackData: PesTrack, packet: PesPacket) => void;
  format: { _options: { onPacket?: unknown } };
  flushTimestampQueue?: (trackData: TsTrackData, alsoInterleave?: boolean) => Promise<void>;
  prepareVideoPacket?: (trackData: TsTrackData, packet: { data: Uint8Array }, meta: unknown) => Uint8Array;
  interleavePackets(isFinalCall?: boolean): Promise<void>;
}

/** True when `d` starts with exactly the AUD our assembler writes (00 00 00 01 09 F0, or 00 00 00 01 46 01). */
function startsWithAud(d: Uint8Array): boolean {
  if (d.length < 6 || d[0] !== 0 || d[1] !== 0 || d[2] !== 0 || d[3] !== 1) return false;
  return (d[4] === 0x09 && d[5] === 0xf0) || (d[4] === 0x46 && d[5] === 0x01);
}

export interface ReorderState {
  /** Seconds by which DTS trails the sorted PTS; 0 for streams without B-frames. */
  reorderDelay: number;
  patched: boolean;
}

const TICK = 1 / 90000;

export class ReorderAwareTsFormat extends MpegTsOutputFormat {
  constructor(readonly reorder: ReorderState, private readonly fastPes = true) {
    super();
  }

  /** @internal mediabunny calls this to build the per-segment muxer. */
  _createMuxer(output: unknown): unknown {
    const base = (MpegTsOutputFormat.prototype as unknown as { _createMuxer(o: unknown): unknown })._createMuxer;
    const muxer = base.call(this, output) as TsMuxerInternals;
    if (typeof muxer.flushTimestampQueue !== 'function' || typeof muxer.interleavePackets !== 'function') return muxer;
    const state = this.reorder;
    state.patched = true;
    // One write per PES instead of one per TS packet (see ts-writer.ts); not when mediabunny's per-packet
    // callback is wanted.
    if (this.fastPes && typeof muxer.writePesPacket === 'function' && !muxer.format._options.onPacket) {
      muxer.writePesPacket = function (this: TsMuxerInternals, trackData, packet) {
        writePes(this.writer, this.continuityCounters, trackData, packet);
      };
    }
    // Units from our assembler already carry one AUD and no other (access-units.ts): mediabunny would split each
    // picture into NAL units and join them again just to put an AUD in front. Anything else takes its path.
    const prepare = muxer.prepareVideoPacket;
    if (typeof prepare === 'function') {
      muxer.prepareVideoPacket = function (this: TsMuxerInternals, trackData, packet, meta) {
        return startsWithAud(packet.data) ? packet.data : prepare.call(this, trackData, packet, meta);
      };
    }
    muxer.flushTimestampQueue = async function (this: TsMuxerInternals, trackData, alsoInterleave = true) {
      const queue = trackData.timestampProcessingQueue;
      if (queue.length === 0) return;
      const sorted = queue.map((p) => p.presentationTimestamp).sort((a, b) => a - b);
      const isVideo = trackData.track.type === 'video';
      if (isVideo) {
        let delay = 0;
        for (let i = 0; i < queue.length; i++) delay = Math.max(delay, sorted[i]! - queue[i]!.presentationTimestamp);
        if (delay > state.reorderDelay + TICK / 2) state.reorderDelay = Math.round(delay * 90000) / 90000;
      }
      const shift = isVideo ? state.reorderDelay : 0;
      for (let i = 0; i < queue.length; i++) {
        queue[i]!.decodeTimestamp = sorted[i]! - shift;
        trackData.packetQueue.push(queue[i]!);
      }
      queue.length = 0;
      if (alsoInterleave) await this.interleavePackets();
    };
    return muxer;
  }
}
