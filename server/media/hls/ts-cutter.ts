// Our own MPEG-TS file cutter for LL-HLS parts: access units and AAC frames in, one MPEG-TS file per part (or
// quick-start piece) out, with no mediabunny Output behind it. With parts every GOP becomes two or more files, and
// mediabunny's HLS muxer makes a segment muxer (an Output of its own, promises, a mutex, per-packet objects) for
// each: at 100 cameras parts cost ~45 % more relay CPU that way (server/media/README.md). The cutter writes the
// bytes mediabunny's MpegTsMuxer would write for the same file — PAT, PMT, then PES packets interleaved by PTS, no
// PCR, continuity counters from 0 with the discontinuity flag on each PID's first packet — through the same PES
// writer (ts-writer.ts) and the same B-frame DTS rule (reorder-ts-format.ts). test/media/ts-cutter.test.ts checks
// byte equality with mediabunny for video-only files and decodes the rest with ffprobe.
//
// A file ends where the next key frame or `cut` picture starts (the caller picks cuts at pictures shown after
// every earlier one, so no B-frame crosses them). Like mediabunny's HLS muxer it then waits until the audio has
// reached that picture's time, so a file's audio ends where its video does; while the audio is quiet, files wait
// (as with mediabunny: the relay's first GOP relies on it to notice announced audio that never comes, and later
// starts a video-only epoch after `audioTimeoutMs`, which bounds what waits).
import type { VideoCodec } from '../types';
import type { ReorderState } from './reorder-ts-format';
import { writePes, type PesPacket, type PesTrack, type TsWriter } from './ts-writer';

const TS = 188;
const PAT_PID = 0x0000;
const PMT_PID = 0x1000;
const VIDEO_PID = 0x0100;
const AUDIO_PID = 0x0101;
const TICK = 1 / 90000;

interface Queued extends PesPacket {
  decodeTimestamp: number | null;
}

interface OpenFile {
  n: number;
  start: number;
  key: boolean;
  video: Queued[];
}

/** A finished file: its number (from 1, as mediabunny numbers its segments), where it starts and how long it is
 * (up to the picture that closed it), and `write`, which writes its bytes to `out` (once). */
export interface CutFile {
  n: number;
  start: number;
  duration: number;
  write(out: TsWriter): void;
}

/** The 7-byte ADTS header of an AAC AudioSpecificConfig, with the frame length left to fill; null where ADTS cannot
 * say it (object types above 4, an explicit sampling rate): such a stream stays with mediabunny's muxer. */
export function adtsTemplate(config: Uint8Array): Uint8Array | null {
  if (config.byteLength < 2) return null;
  let bit = 0;
  const read = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++, bit++) {
      const byte = config[bit >> 3];
      if (byte === undefined) throw new RangeError('short AudioSpecificConfig');
      v = (v << 1) | ((byte >> (7 - (bit & 7))) & 1);
    }
    return v;
  };
  const objectType = (): number => { const t = read(5); return t === 31 ? 32 + read(6) : t; };
  try {
    let type = objectType();
    const freq = read(4);
    if (freq === 15) return null;
    const channels = read(4);
    if (type === 5 || type === 29) {
      // Explicit SBR/PS signalling: ADTS carries the core coder (its rate is the one read above).
      if (read(4) === 15) read(24);
      type = objectType();
    }
    if (type < 1 || type > 4) return null;
    const h = new Uint8Array(7);
    h[0] = 0xff;
    h[1] = 0xf1; // MPEG-4, layer 0, no CRC
    h[2] = ((type - 1) << 6) | (freq << 2) | (channels >> 2);
    h[3] = (channels & 3) << 6;
    h[5] = 0x1f; // buffer fullness 0x7FF (variable)
    h[6] = 0xfc;
    return h;
  } catch {
    return null;
  }
}

/** True when `d` starts with exactly the AUD our assembler writes (00 00 00 01 09 F0, or 00 00 00 01 46 01). */
function startsWithAud(d: Uint8Array): boolean {
  if (d.length < 6 || d[0] !== 0 || d[1] !== 0 || d[2] !== 0 || d[3] !== 1) return false;
  return (d[4] === 0x09 && d[5] === 0xf0) || (d[4] === 0x46 && d[5] === 0x01);
}

/** Units from our assembler already carry one AUD and no other (access-units.ts): taken as they are. Anything else
 * is rebuilt as mediabunny does: its AUDs dropped, one in front, 4-byte start codes. */
function withAud(data: Uint8Array, codec: VideoCodec): Uint8Array {
  if (startsWithAud(data)) return data;
  const nals: Uint8Array[] = [codec === 'h265' ? new Uint8Array([0x46, 0x01]) : new Uint8Array([0x09, 0xf0])];
  let start = -1;
  let i = 0;
  const push = (end: number) => {
    if (start === -1 || end <= start) return;
    const nal = data.subarray(start, end);
    const aud = codec === 'h265' ? ((nal[0]! >> 1) & 0x3f) === 35 : (nal[0]! & 0x1f) === 9;
    if (!aud) nals.push(nal);
  };
  while (i < data.length - 2) {
    const z = data.indexOf(0, i);
    if (z === -1 || z >= data.length - 2) break;
    i = z;
    let sc = 0;
    if (i + 3 < data.length && data[i + 1] === 0 && data[i + 2] === 0 && data[i + 3] === 1) sc = 4;
    else if (data[i + 1] === 0 && data[i + 2] === 1) sc = 3;
    if (sc === 0) { i++; continue; }
    push(i);
    start = i + sc;
    i = start;
  }
  if (start !== -1 && start < data.length) push(data.length);
  let total = 0;
  for (const n of nals) total += 4 + n.byteLength;
  const out = new Uint8Array(total);
  let o = 0;
  for (const n of nals) { out[o + 3] = 1; out.set(n, o + 4); o += 4 + n.byteLength; }
  return out;
}

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n << 24;
  for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
  CRC_TABLE[n] = c >>> 0;
}

function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of data) crc = ((crc << 8) ^ CRC_TABLE[(crc >>> 24) ^ b]!) >>> 0;
  return crc;
}

function withCrc(section: Uint8Array): Uint8Array {
  const out = new Uint8Array(section.length + 4);
  out.set(section);
  new DataView(out.buffer).setUint32(section.length, crc32(section));
  return out;
}

/** One TS packet carrying a PSI section (pointer field 0, stuffing 0xFF), continuity counter 0: the first on its
 * PID in the file. */
function psiPacket(pid: number, section: Uint8Array): Uint8Array {
  const p = new Uint8Array(TS).fill(0xff);
  p[0] = 0x47;
  p[1] = 0x40 | ((pid >> 8) & 0x1f);
  p[2] = pid & 0xff;
  p[3] = 0x10;
  p[4] = 0;
  p.set(section, 5);
  return p;
}

const PAT = psiPacket(PAT_PID, withCrc(new Uint8Array([
  0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xe0 | (PMT_PID >> 8), PMT_PID & 0xff,
])));

/** PAT + PMT (video 0x100, audio 0x101; PCR_PID 0x1FFF as mediabunny writes it), the start of every file. */
function tables(videoType: number, audio: boolean): Uint8Array {
  const streams = audio ? 2 : 1;
  const sectionLength = 9 + 5 * streams + 4;
  const s = new Uint8Array(3 + sectionLength - 4);
  s[0] = 0x02;
  s[1] = 0xb0 | (sectionLength >> 8); s[2] = sectionLength & 0xff;
  s[3] = 0x00; s[4] = 0x01;
  s[5] = 0xc1; s[6] = 0; s[7] = 0;
  s[8] = 0xff; s[9] = 0xff; // reserved + PCR_PID 0x1FFF
  s[10] = 0xf0; s[11] = 0x00;
  let o = 12;
  const es = (type: number, pid: number) => { s[o++] = type; s[o++] = 0xe0 | (pid >> 8); s[o++] = pid & 0xff; s[o++] = 0xf0; s[o++] = 0; };
  es(videoType, VIDEO_PID);
  if (audio) es(0x0f, AUDIO_PID);
  const out = new Uint8Array(2 * TS);
  out.set(PAT);
  out.set(psiPacket(PMT_PID, withCrc(s)), TS);
  return out;
}

export interface TsCutterOptions {
  codec: VideoCodec;
  /** The ADTS header template of the AAC track (adtsTemplate), or null for video only. */
  adts: Uint8Array | null;
  /** Shared with the packager: the measured B-frame reorder delay (reorder-ts-format.ts). */
  reorder: ReorderState;
  onFile: (file: CutFile) => void;
}

export class TsCutter {
  private readonly head: Uint8Array;
  private files = 0;
  private open: OpenFile | null = null;
  /** Files whose video is complete, in order, each written once the audio reached its `end`. */
  private closing: { file: OpenFile; end: number }[] = [];
  private audio: Queued[] = [];

  constructor(private readonly opts: TsCutterOptions) {
    this.head = tables(opts.codec === 'h265' ? 0x24 : 0x1b, opts.adts !== null);
  }

  /** `ts` in the epoch's seconds; `key` a random access point, `cut` a picture that starts a file without being
   * one. The first picture must be a key frame (earlier ones are dropped). */
  addVideo(ts: number, key: boolean, cut: boolean, data: Uint8Array): void {
    if ((key || cut) && this.open) {
      this.closing.push({ file: this.open, end: ts });
      this.open = null;
    }
    if (!this.open) {
      if (!key && !cut && this.files === 0) return;
      this.open = { n: ++this.files, start: ts, key, video: [] };
    }
    this.open.video.push({ data: withAud(data, this.opts.codec), presentationTimestamp: ts, decodeTimestamp: null, isKeyframe: key });
    this.flush();
  }

  /** A raw AAC frame (no ADTS header) at `ts` seconds. */
  addAudio(ts: number, data: Uint8Array): void {
    const t = this.opts.adts;
    if (!t) return;
    const framed = new Uint8Array(7 + data.byteLength);
    framed.set(t);
    const len = framed.byteLength;
    framed[3] = t[3]! | ((len >> 11) & 3);
    framed[4] = (len >> 3) & 0xff;
    framed[5] = ((len & 7) << 5) | 0x1f;
    framed.set(data, 7);
    this.audio.push({ data: framed, presentationTimestamp: ts, decodeTimestamp: null, isKeyframe: true });
    this.flush();
  }

  /** Forget everything not yet handed out (the epoch ends; a partial file would have a misleading duration). */
  discard(): void {
    this.open = null;
    this.closing = [];
    this.audio = [];
  }

  /** Writes the closed files the audio has caught up with (all of them without audio). */
  private flush(): void {
    const last = this.audio[this.audio.length - 1]?.presentationTimestamp ?? -Infinity;
    while (this.closing.length > 0 && (this.opts.adts === null || last >= this.closing[0]!.end)) this.finish(this.closing.shift()!);
  }

  private finish({ file, end }: { file: OpenFile; end: number }): void {
    let take = 0;
    while (take < this.audio.length && this.audio[take]!.presentationTimestamp < end) take++;
    const audio = this.audio.splice(0, take);
    const video = file.video;
    // DTS as reorder-ts-format.ts computes it for mediabunny: the file's sorted PTS minus the stream's reorder
    // delay (the running maximum, so DTS stays monotonic across files).
    const sorted = video.map((p) => p.presentationTimestamp).sort((a, b) => a - b);
    const state = this.opts.reorder;
    let delay = 0;
    for (let i = 0; i < video.length; i++) delay = Math.max(delay, sorted[i]! - video[i]!.presentationTimestamp);
    if (delay > state.reorderDelay + TICK / 2) state.reorderDelay = Math.round(delay * 90000) / 90000;
    for (let i = 0; i < video.length; i++) video[i]!.decodeTimestamp = sorted[i]! - state.reorderDelay;
    const head = this.head;
    const codec = this.opts.codec;
    this.opts.onFile({
      n: file.n,
      start: file.start,
      duration: end - file.start,
      write(out: TsWriter): void {
        out.write(head);
        const counters = new Map<number, number>([[PAT_PID, 1], [PMT_PID, 1]]);
        const v: PesTrack = { pid: VIDEO_PID, streamId: 0xe0, streamType: codec === 'h265' ? 0x24 : 0x1b, track: { type: 'video' }, firstPacketWritten: false };
        const a: PesTrack = { pid: AUDIO_PID, streamId: 0xc0, streamType: 0x0f, track: { type: 'audio' }, firstPacketWritten: false };
        // Interleaved by PTS at the head of each queue (video in decode order), as mediabunny's muxer does.
        let i = 0;
        let j = 0;
        while (i < video.length || j < audio.length) {
          const useVideo = j >= audio.length || (i < video.length && video[i]!.presentationTimestamp <= audio[j]!.presentationTimestamp);
          if (useVideo) writePes(out, counters, v, video[i++]!);
          else writePes(out, counters, a, audio[j++]!);
        }
      },
    });
  }
}
