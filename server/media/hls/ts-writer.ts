// PES → 188-byte MPEG-TS packets, byte for byte what mediabunny 1.61's MpegTsMuxer.writePesPacket writes (no PCR,
// same adaptation fields, stuffing and continuity counters), but built in one reused buffer and handed to the
// writer as one write per PES instead of one per TS packet, without the four views and the write event object
// mediabunny makes per TS packet. That path was ~20% of a relay worker's time at 100 cameras.
// test/media/ts-writer.test.ts checks equality with mediabunny's own output, so an upgrade that changes the
// format fails loudly.

import { nalRole } from '../h264/access-units';
import type { VideoCodec } from '../types';

const TS = 188;
const TIMESCALE = 90000;
const MODULUS = 2 ** 33;
const HEVC_STREAM_TYPE = 0x24;

export interface PesTrack {
  pid: number;
  streamId: number;
  /** ISO/IEC 13818-1 stream_type: 0x1B H.264, 0x24 H.265, 0x0F AAC. */
  streamType: number;
  track: { type: string };
  firstPacketWritten: boolean;
}

export interface PesPacket {
  data: Uint8Array;
  presentationTimestamp: number;
  decodeTimestamp: number | null;
  isKeyframe: boolean;
}

export interface TsWriter {
  write(data: Uint8Array): void;
}

let scratch = new Uint8Array(TS * 256);

function mod(n: number): number {
  return ((n % MODULUS) + MODULUS) % MODULUS;
}

/** The 5-byte PTS/DTS field (ISO/IEC 13818-1 §2.4.3.7). */
function putTimestamp(b: Uint8Array, o: number, prefix: number, t: number): void {
  const hi = Math.floor(t / 2 ** 30) & 7;
  const mid = Math.floor(t / 2 ** 15) % 2 ** 15;
  const lo = t % 2 ** 15;
  b[o] = (prefix << 4) | (hi << 1) | 1;
  b[o + 1] = mid >> 7;
  b[o + 2] = ((mid & 0x7f) << 1) | 1;
  b[o + 3] = lo >> 7;
  b[o + 4] = ((lo & 0x7f) << 1) | 1;
}

const pes = new Uint8Array(19);

/**
 * Whether a picture given as key is a random access point: its first slice is IDR (H.264) or IRAP (H.265), as
 * h264/access-units.ts classifies NAL units. Only the NAL units in front of that slice are scanned (AUD, parameter
 * sets, SEI: a few dozen bytes). A quick-start cut (packager.addVideo `cut`) is a key-typed picture whose first
 * slice is not, and must not carry random_access_indicator. Data in which no slice is found is taken as given.
 */
function randomAccess(data: Uint8Array, codec: VideoCodec): boolean {
  for (let i = 0; i + 3 < data.length; i++) {
    if (data[i] !== 0 || data[i + 1] !== 0 || data[i + 2] !== 1) continue;
    const role = nalRole(codec, data[i + 3]!);
    if (role === 'key' || role === 'slice') return role === 'key';
    i += 3;
  }
  return true;
}

export function writePes(writer: TsWriter, counters: Map<number, number>, track: PesTrack, packet: PesPacket): void {
  const video = track.track.type === 'video';
  const keyframe = packet.isKeyframe && (!video || randomAccess(packet.data, track.streamType === HEVC_STREAM_TYPE ? 'h265' : 'h264'));
  const headerDataLength = video ? 10 : 5;
  const pesLength = 9 + headerDataLength;
  const data = packet.data;
  const total = pesLength + data.length;
  pes[0] = 0; pes[1] = 0; pes[2] = 1;
  pes[3] = track.streamId;
  const packetLength = video ? 0 : Math.min(8 + data.length, 0xffff);
  pes[4] = packetLength >> 8; pes[5] = packetLength & 0xff;
  pes[6] = 0x84;
  pes[7] = video ? 0xc0 : 0x80;
  pes[8] = headerDataLength;
  putTimestamp(pes, 9, video ? 0b0011 : 0b0010, mod(Math.round(packet.presentationTimestamp * TIMESCALE)));
  if (video) putTimestamp(pes, 14, 0b0001, mod(Math.round(packet.decodeTimestamp! * TIMESCALE)));

  const maxPackets = Math.ceil(total / 182) + 1;
  if (scratch.length < maxPackets * TS) scratch = new Uint8Array(maxPackets * TS * 2);
  const out = scratch;
  const pid = track.pid;
  let cc = counters.get(pid) ?? 0;
  let offset = 0;
  let at = 0;
  let first = true;
  while (offset < total) {
    const remaining = total - offset;
    const rai = first && keyframe;
    const disc = first && !track.firstPacketWritten;
    const basePad = Math.max(0, 184 - remaining);
    const af = rai || disc ? Math.max(2, basePad) : basePad;
    const payloadSize = Math.min(184 - af, remaining);
    const ctrl = af > 0 ? (payloadSize > 0 ? 3 : 2) : (payloadSize > 0 ? 1 : 0);
    out[at] = 0x47;
    out[at + 1] = (first ? 0x40 : 0) | ((pid >> 8) & 0x1f);
    out[at + 2] = pid & 0xff;
    out[at + 3] = (ctrl << 4) | (cc & 0x0f);
    if (payloadSize > 0) cc = (cc + 1) & 0x0f;
    let o = at + 4;
    if (af === 1) {
      out[o] = 0;
    } else if (af > 1) {
      out[o] = af - 1;
      out[o + 1] = ((disc ? 1 : 0) << 7) | ((rai ? 1 : 0) << 6);
      out.fill(0xff, o + 2, o + af);
    }
    o += af;
    let p = 0;
    if (offset < pesLength) {
      const n = Math.min(pesLength - offset, payloadSize);
      out.set(n === pesLength ? pes : pes.subarray(offset, offset + n), o);
      p = n;
    }
    if (p < payloadSize) {
      const ds = Math.max(0, offset - pesLength);
      // set() of a view: ~1.5x faster per 184-byte payload than Buffer#copy, which builds the same view after
      // checking its arguments (measured on 250 KB segments).
      out.set(data.subarray(ds, ds + (payloadSize - p)), o + p);
    }
    o += payloadSize;
    if (o < at + TS) out.fill(0xff, o, at + TS);
    offset += payloadSize;
    at += TS;
    first = false;
  }
  counters.set(pid, cc);
  track.firstPacketWritten = true;
  writer.write(out.subarray(0, at));
}
