// What LL-HLS parts cost in the packager alone (issue 18), without RTSP, threads or a loaded machine's scheduling
// in the way: the same pictures and AAC frames (the simulator's 720p h264 fixture at ~2 Mb/s, GOP 1 s, and its AAC
// track), fed as the relay feeds them (quick-start pieces, then a cut every `partFrames` pictures), into a
// LivePackager whose publishes a LiveWindow takes, as the serving thread does. CPU time (user + system of this
// process) per second of media, for: whole segments only, parts cut by mediabunny (an Output per file, the first
// version) and parts cut by our TsCutter (hls/ts-cutter.ts). `bench:relay` measures the whole relay at 100
// streams; this isolates the muxing, where parts cost their extra.
//   npm run bench:parts -- [--seconds 120] [--rounds 5] [--part-frames 13]
// Goal: parts with the cutter cost at most 15 % more than whole segments (mediabunny's parts: ~45 % more at 100
// streams in bench:relay). The minimum over rounds is reported (the machine is shared).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LivePackager, type EpochSpec } from '../../../server/media/hls/packager';
import { LiveWindow } from '../../../server/media/live-window';
import { atMost, printReport } from '../lib/report';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '120' }, rounds: { type: 'string', default: '5' }, 'part-frames': { type: 'string', default: '13' } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const partFrames = Number(values['part-frames']);
const FIXTURES = new URL('../../simulator/fixtures/', import.meta.url);

/** Access units of an Annex-B fixture, each with the AUD our RTP assembler puts in front (h264/access-units.ts). */
function videoUnits(name: string): { pts: number; key: boolean; data: Uint8Array }[] {
  const es = new Uint8Array(readFileSync(new URL(`${name}.h264`, FIXTURES)));
  const meta = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as { packets: { pts: number; flags: string }[] };
  const nals: Uint8Array[] = [];
  let start = -1;
  for (let i = 0; i + 2 < es.length; i++) {
    if (es[i] === 0 && es[i + 1] === 0 && es[i + 2] === 1) {
      if (start >= 0) nals.push(es.subarray(start, i > 0 && es[i - 1] === 0 ? i - 1 : i));
      start = i + 3;
      i += 2;
    }
  }
  if (start >= 0) nals.push(es.subarray(start));
  const aus: Uint8Array[][] = [];
  let cur: Uint8Array[] = [];
  let slice = false;
  for (const n of nals) {
    const type = n[0]! & 0x1f;
    const isSlice = type >= 1 && type <= 5;
    if (slice && ([6, 7, 8, 9].includes(type) || (isSlice && (n[1]! & 0x80) !== 0))) { aus.push(cur); cur = []; slice = false; }
    if (type !== 9) cur.push(n);
    if (isSlice) slice = true;
  }
  if (cur.length) aus.push(cur);
  return aus.map((parts, i) => ({
    pts: meta.packets[i]!.pts / 90000,
    key: meta.packets[i]!.flags.startsWith('K'),
    data: Buffer.concat([Buffer.from([0, 0, 0, 1, 0x09, 0xf0]), ...parts.flatMap((p) => [Buffer.from([0, 0, 0, 1]), p])]),
  }));
}

function aacFrames(): { pts: number; data: Uint8Array }[] {
  const adts = readFileSync(new URL('h264-aac.aac', FIXTURES));
  const out: { pts: number; data: Uint8Array }[] = [];
  for (let o = 0; o + 7 <= adts.length;) {
    const len = ((adts[o + 3]! & 3) << 11) | (adts[o + 4]! << 3) | (adts[o + 5]! >> 5);
    out.push({ pts: out.length * 1024 / 32000, data: new Uint8Array(adts.subarray(o + 7, o + len)) });
    o += len;
  }
  return out;
}

type Mode = 'segments' | 'parts-mediabunny' | 'parts-cutter';
const video = videoUnits('h264');
const audio = aacFrames();
const vspan = Math.max(...video.map((u) => u.pts)) + 0.04;
const aspan = audio.length * 1024 / 32000;
type Item = { t: number; v?: (typeof video)[number]; a?: Uint8Array };
const feed: Item[] = [];
for (let l = 0; l * vspan < seconds; l++) for (const u of video) feed.push({ t: l * vspan + u.pts, v: u });
for (let l = 0; l * aspan < seconds; l++) for (const f of audio) if (l * aspan + f.pts < seconds) feed.push({ t: l * aspan + f.pts, a: f.data });
feed.sort((x, y) => x.t - y.t);
const media = Math.min(seconds, Math.ceil(seconds / vspan) * vspan);

const spec: EpochSpec = {
  video: { codec: 'h264', codecString: 'avc1.64001f', width: 1280, height: 720, fps: 25 },
  audio: { config: new Uint8Array([0x12, 0x88]), sampleRate: 32000, channels: 1, codecString: 'mp4a.40.2' },
  targetDuration: 1,
};

async function once(mode: Mode): Promise<{ cpuMsPerMediaSec: number; files: number; bytes: number }> {
  const w = new LiveWindow();
  let files = 0;
  let bytes = 0;
  const parts = mode !== 'segments';
  const p = new LivePackager({
    segmentFormat: 'mpegts', windowSize: 4, parts, cutter: mode === 'parts-cutter',
    onPublish: (x) => {
      w.apply(x);
      for (const f of [...x.added, ...(x.parts ?? [])]) { files++; bytes += f.body.byteLength; }
    },
  });
  const settle = async () => { while (p.backlog > 0) await new Promise((r) => setImmediate(r)); };
  const t0 = process.cpuUsage();
  p.startEpoch(spec, true);
  let probing = true;
  let lastCut = 0;
  let keys = 0;
  let inPart = 0;
  let n = 0;
  for (const it of feed) {
    if (it.a) { p.addAudio(it.t, it.a); continue; }
    const u = it.v!;
    if (u.key) keys++;
    let cut = false;
    if (probing) {
      cut = !u.key && it.t - lastCut >= 0.5 - 1e-3;
      if (cut) lastCut = it.t;
    } else if (parts) {
      if (u.key) inPart = 1;
      else if (inPart >= partFrames) { cut = true; inPart = 1; } else inPart++;
    }
    p.addVideo(it.t, u.key, u.data, cut);
    if (probing && keys === 2) { probing = false; inPart = 1; p.refineEpoch(25, 1, true, partFrames / 25); }
    // Let mediabunny's queue drain now and then, as the relay's input pace would.
    if (++n % 25 === 0) await settle();
  }
  await settle();
  const used = process.cpuUsage(t0);
  p.close();
  return { cpuMsPerMediaSec: (used.user + used.system) / 1000 / media, files, bytes };
}

const load = [loadavg()[0]!];
const results: Record<Mode, { cpuMsPerMediaSec: number[]; files: number; bytes: number }> = {
  segments: { cpuMsPerMediaSec: [], files: 0, bytes: 0 },
  'parts-mediabunny': { cpuMsPerMediaSec: [], files: 0, bytes: 0 },
  'parts-cutter': { cpuMsPerMediaSec: [], files: 0, bytes: 0 },
};
// Warm-up (JIT), then the modes interleaved round by round so a change in the machine's load hits all three.
for (const m of Object.keys(results) as Mode[]) await once(m);
for (let r = 0; r < rounds; r++) {
  for (const m of Object.keys(results) as Mode[]) {
    const x = await once(m);
    results[m].cpuMsPerMediaSec.push(Math.round(x.cpuMsPerMediaSec * 100) / 100);
    results[m].files = x.files;
    results[m].bytes = x.bytes;
  }
}
load.push(loadavg()[0]!);
const best = (m: Mode) => Math.min(...results[m].cpuMsPerMediaSec);
const ratio = (m: Mode) => Math.round((best(m) / best('segments')) * 1000) / 1000;
printReport('parts', {
  cutterPartsOverSegments: atMost(ratio('parts-cutter'), 1.15),
}, {
  settings: { mediaSeconds: Math.round(media * 100) / 100, rounds, partFrames, fixture: 'h264 720p ~2 Mb/s GOP 1 s + AAC 32 kHz mono' },
  loadavg: load,
  cpuMsPerMediaSecondBest: { segments: best('segments'), partsMediabunny: best('parts-mediabunny'), partsCutter: best('parts-cutter') },
  ratioToSegments: { partsMediabunny: ratio('parts-mediabunny'), partsCutter: ratio('parts-cutter') },
  rounds: results,
});
