// Loads the pre-encoded fixtures (see scripts/make-fixtures.sh and README.md) and pre-packetizes them once per
// process. Every camera that uses a fixture shares the same frames and RTP payloads.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type VideoCodec, H264, H265, isAud, isKeyframeNal, isParameterSet, isVcl, nalType, splitAnnexB,
} from './codec/nal';
import { type RtpPayload, packetizeAac, packetizeVideo } from './rtp/packetizer';

export const FIXTURE_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const VIDEO_PT = 96;
export const AAC_PT = 97;
export const PCMA_PT = 8;

export interface VideoFrame {
  /** 90 kHz ticks from the start of the loop; decode order. */
  dts: number;
  pts: number;
  key: boolean;
  payloads: RtpPayload[];
}

export interface VideoTrack {
  kind: 'video';
  codec: VideoCodec;
  payloadType: number;
  clockRate: 90000;
  width: number;
  height: number;
  fps: number;
  profile: string;
  frames: VideoFrame[];
  /** Length of one loop in 90 kHz ticks: RTP timestamps grow by this much per loop, so they never jump back. */
  loopTicks: number;
  bitrateKbps: number;
  rtpmap: string;
  fmtp: string;
}

export interface AudioFrame {
  /** Ticks of the audio clock from the start of the loop. */
  ts: number;
  payload: RtpPayload;
}

export interface AudioTrack {
  kind: 'audio';
  codec: 'AAC' | 'PCMA';
  payloadType: number;
  clockRate: number;
  channels: number;
  frames: AudioFrame[];
  loopTicks: number;
  rtpmap: string;
  fmtp?: string;
}

export interface Fixture {
  name: string;
  video: VideoTrack;
  audio?: AudioTrack;
  jpeg?: Buffer;
}

interface ProbeJson {
  streams: Array<{ codec_name: string; profile?: string; width: number; height: number; r_frame_rate: string; time_base: string }>;
  packets: Array<{ pts: number; dts: number; flags: string }>;
}

const cache = new Map<string, Fixture>();

/** Loads (once) and returns a fixture by file stem: h264, h264-sub, h264-bframes, h265, h264-aac, h264-pcma, h264-alt, h265-alt,
 * or a composite (h265-pcma). */
export function loadFixture(name: string): Fixture {
  let f = cache.get(name);
  if (!f) {
    f = readFixture(name);
    cache.set(name, f);
  }
  return f;
}

/** The fixture the sps-change fault switches to: same codec, another resolution. */
export function alternateFixture(f: Fixture): Fixture {
  return loadFixture(f.video.codec === 'H265' ? 'h265-alt' : f.video.width === 960 ? 'h264' : 'h264-alt');
}

/** Fixtures made of two others' files, so no bytes are committed twice: `h265-pcma` is what cheap consumer cameras
 * (慧眼) send, H.265 video with G.711 A-law audio (the `h265` picture, the `h264-pcma` sound; both loop in 4 s). */
const COMPOSITES: Record<string, { video: string; audio: string }> = { 'h265-pcma': { video: 'h265', audio: 'h264-pcma' } };

function readFixture(name: string): Fixture {
  const composite = COMPOSITES[name];
  const base = FIXTURE_DIR + (composite?.video ?? name);
  const audioBase = composite ? FIXTURE_DIR + composite.audio : base;
  const probe = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as ProbeJson;
  const stream = probe.streams[0];
  if (stream.time_base !== '1/90000') throw new Error(`fixture ${name}: expected a 90 kHz time base, got ${stream.time_base}`);
  const codec: VideoCodec = stream.codec_name === 'hevc' ? 'H265' : 'H264';
  const es = readFileSync(`${base}.${codec === 'H265' ? 'h265' : 'h264'}`);
  const aus = splitAccessUnits(codec, splitAnnexB(es));
  if (aus.length !== probe.packets.length) {
    throw new Error(`fixture ${name}: ${aus.length} access units in the stream but ${probe.packets.length} in the index`);
  }
  const [num, den] = stream.r_frame_rate.split('/').map(Number);
  const fps = num / (den || 1);
  const frameTicks = Math.round(90000 / fps);
  const dts0 = probe.packets[0].dts;
  const params = parameterSets(codec, aus[0]);
  let bytes = 0;
  const frames: VideoFrame[] = aus.map((nals, i) => {
    const key = nals.some((n) => isKeyframeNal(codec, n));
    // Cameras repeat the parameter sets before every IDR so a client can join at any keyframe; enforce it here
    // rather than trust the encoder's options.
    if (key && !nals.some((n) => isParameterSet(codec, n))) nals = [...params.all, ...nals];
    // ...and put them first (VPS, SPS, PPS, then SEI and slices), the order depacketizers expect at a keyframe.
    if (key) nals = [...nals.filter((n) => isParameterSet(codec, n)), ...nals.filter((n) => !isParameterSet(codec, n))];
    for (const n of nals) bytes += n.length;
    const p = probe.packets[i];
    return { dts: p.dts - dts0, pts: p.pts - dts0, key, payloads: packetizeVideo(codec, nals) };
  });
  if (!frames[0].key) throw new Error(`fixture ${name}: does not start with a keyframe`);
  const loopTicks = frames[frames.length - 1].dts + frameTicks;

  const video: VideoTrack = {
    kind: 'video',
    codec,
    payloadType: VIDEO_PT,
    clockRate: 90000,
    width: stream.width,
    height: stream.height,
    fps,
    profile: stream.profile ?? '',
    frames,
    loopTicks,
    bitrateKbps: Math.round((bytes * 8) / (loopTicks / 90000) / 1000),
    rtpmap: `${VIDEO_PT} ${codec}/90000`,
    fmtp: `${VIDEO_PT} ${videoFmtp(codec, params)}`,
  };
  const fixture: Fixture = { name, video };
  if (existsSync(`${audioBase}.aac`)) fixture.audio = readAdts(readFileSync(`${audioBase}.aac`), loopTicks / 90000, name);
  else if (existsSync(`${audioBase}.alaw`)) fixture.audio = readAlaw(readFileSync(`${audioBase}.alaw`), loopTicks / 90000, name);
  if (existsSync(`${base}.jpg`)) fixture.jpeg = readFileSync(`${base}.jpg`);
  return fixture;
}

/**
 * make-fixtures.sh asks the encoders for an access unit delimiter before every access unit. The MP4→Annex-B
 * filter also puts the MP4's extradata (parameter sets, x264's SEI) in front of the first one, sometimes before
 * the AUD: groups without a slice join the next access unit, and exact duplicates are dropped.
 */
function splitAccessUnits(codec: VideoCodec, nals: Buffer[]): Buffer[][] {
  const groups: Buffer[][] = [[]];
  for (const nal of nals) {
    if (isAud(codec, nal)) groups.push([]); // AUDs only mark boundaries; cameras rarely send them
    else groups[groups.length - 1].push(nal);
  }
  const aus: Buffer[][] = [];
  let pending: Buffer[] = [];
  for (const g of groups) {
    pending.push(...g);
    if (g.some((n) => isVcl(codec, n))) {
      aus.push(pending.filter((n, i) => pending.findIndex((m) => m.equals(n)) === i));
      pending = [];
    }
  }
  return aus;
}

interface ParamSets { vps?: Buffer; sps: Buffer; pps: Buffer; all: Buffer[] }

function parameterSets(codec: VideoCodec, au: Buffer[]): ParamSets {
  const find = (t: number) => au.find((n) => nalType(codec, n) === t);
  const vps = codec === 'H265' ? find(H265.VPS) : undefined;
  const sps = find(codec === 'H264' ? H264.SPS : H265.SPS);
  const pps = find(codec === 'H264' ? H264.PPS : H265.PPS);
  if (!sps || !pps || (codec === 'H265' && !vps)) throw new Error('first access unit lacks parameter sets');
  return { vps, sps, pps, all: vps ? [vps, sps, pps] : [sps, pps] };
}

function videoFmtp(codec: VideoCodec, p: ParamSets): string {
  const b64 = (b: Buffer) => b.toString('base64');
  if (codec === 'H264') {
    const profileLevelId = p.sps.subarray(1, 4).toString('hex').toUpperCase();
    return `packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${b64(p.sps)},${b64(p.pps)}`;
  }
  return `sprop-vps=${b64(p.vps!)};sprop-sps=${b64(p.sps)};sprop-pps=${b64(p.pps)}`;
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/** ADTS → raw AAC frames plus the AudioSpecificConfig the SDP `config` carries (the relay needs it, pitfall 4). */
function readAdts(data: Buffer, loopSec: number, name: string): AudioTrack {
  const raw: Buffer[] = [];
  let objectType = 2, rateIndex = 0, channels = 1;
  for (let off = 0; off + 7 <= data.length;) {
    if (data[off] !== 0xff || (data[off + 1] & 0xf0) !== 0xf0) throw new Error(`fixture ${name}: lost ADTS sync at ${off}`);
    const headerLen = data[off + 1] & 1 ? 7 : 9;
    objectType = (data[off + 2] >> 6) + 1;
    rateIndex = (data[off + 2] >> 2) & 0xf;
    channels = ((data[off + 2] & 1) << 2) | (data[off + 3] >> 6);
    const len = ((data[off + 3] & 3) << 11) | (data[off + 4] << 3) | (data[off + 5] >> 5);
    raw.push(data.subarray(off + headerLen, off + len));
    off += len;
  }
  const clockRate = AAC_RATES[rateIndex];
  const wanted = Math.round((loopSec * clockRate) / 1024);
  if (raw.length < wanted) throw new Error(`fixture ${name}: ${raw.length} AAC frames, the video loop needs ${wanted}`);
  const frames = raw.slice(0, wanted).map((f, i) => ({ ts: i * 1024, payload: packetizeAac(f) }));
  const config = ((objectType << 11) | (rateIndex << 7) | (channels << 3)).toString(16).padStart(4, '0');
  return {
    kind: 'audio',
    codec: 'AAC',
    payloadType: AAC_PT,
    clockRate,
    channels,
    frames,
    loopTicks: wanted * 1024,
    rtpmap: `${AAC_PT} MPEG4-GENERIC/${clockRate}/${channels}`,
    fmtp: `${AAC_PT} streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=${config}`,
  };
}

/** Raw A-law at 8 kHz → 20 ms packets of 160 samples, the usual camera packet time. */
function readAlaw(data: Buffer, loopSec: number, name: string): AudioTrack {
  const total = Math.round(loopSec * 8000);
  if (data.length < total) throw new Error(`fixture ${name}: ${data.length} A-law samples, the video loop needs ${total}`);
  const frames: AudioFrame[] = [];
  for (let off = 0; off < total; off += 160) {
    frames.push({ ts: off, payload: { data: data.subarray(off, Math.min(off + 160, total)), marker: false } });
  }
  return {
    kind: 'audio', codec: 'PCMA', payloadType: PCMA_PT, clockRate: 8000, channels: 1, frames, loopTicks: total,
    rtpmap: `${PCMA_PT} PCMA/8000`,
  };
}
