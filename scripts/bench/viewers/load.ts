// Child process of the viewers bench: N residents on one share link, each on its own keep-alive connection from
// its own loopback address (127.77.x.y), doing what a phone does:
//   1. POST /api/share/open {token, device}   (bounded concurrency, before the measured window)
//   2. like hls.js on a live playlist: load the playlist, start 3 segments behind the live edge
//      (liveSyncDurationCount 3), fetch every new segment once, in order; reload the playlist one target duration
//      (last segment duration) after the previous reload started when it changed, half of it when it did not
//      (hls.js computeReloadInterval).
// One connection per viewer and one request at a time on it (hls.js would overlap a playlist reload with a segment
// download on a second connection; here the reload waits for the download, which only makes reloads later).
// The viewers start at random moments over `rampSec`, run `warmup` seconds more unmeasured, then `seconds` measured.
//
// Talks JSON lines on stdout: {phase:'opened'}, {phase:'measure'} (window starts: the parent reads /proc then),
// {phase:'measured'} (window ends), {phase:'done', result}. Exits on stdin end or SIGTERM.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summary } from '../lib/percentile';
import { deviceId, viewerAddress } from './common';
import { Connection, HttpError, type Response } from './http-client';

export interface LoadOptions {
  port: number;
  token: string;
  viewers: number;
  seconds: number;
  warmupSec: number;
  /** Viewers start at random moments over this long (residents do not all press play in the same second). */
  rampSec: number;
  openConcurrency: number;
  timeoutMs: number;
  /** Index of this generator's first viewer (its address and device id): bench:cluster runs one generator per node. */
  firstViewer?: number;
}

const LIVE_SYNC_COUNT = 3;
const ELD_RESOLUTION_MS = 10;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const emit = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');

const percentiles = (xs: number[]) => summary(xs, [50, 95, 99], 1);

interface Playlist { targetDuration: number; mediaSequence: number; segments: Array<{ uri: string; duration: number }> }

function parsePlaylist(text: string): Playlist {
  let targetDuration = 1;
  let mediaSequence = 0;
  let duration = 0;
  const segments: Playlist['segments'] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#EXT-X-TARGETDURATION:')) targetDuration = Number(line.slice(22));
    else if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) mediaSequence = Number(line.slice(22));
    else if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) segments.push({ uri: line.trim(), duration });
  }
  return { targetDuration, mediaSequence, segments };
}

export async function runLoad(o: LoadOptions): Promise<void> {
  let stopped = false;
  let windowStart = Infinity;
  let windowEnd = Infinity;
  const inWindow = (t: number) => t >= windowStart && t < windowEnd;

  const lat = { playlist: [] as number[], segment: [] as number[], segmentTtfb: [] as number[] };
  const count = { playlists: 0, segments: 0, bytes: 0, requests: 0 };
  const errors: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const errorSamples: Record<string, string[]> = {};
  let missedSegments = 0;
  let sequenceResets = 0;
  const segDurations: number[] = [];
  const firstSegmentMs: number[] = [];
  const fail = (what: string) => { errors[what] = (errors[what] ?? 0) + 1; };

  function record(kind: 'playlist' | 'segment', r: Response, end: number) {
    if (!inWindow(end)) return;
    count.requests++;
    statuses[`${kind} ${r.status}`] = (statuses[`${kind} ${r.status}`] ?? 0) + 1;
    count.bytes += r.bytes;
    if (r.status !== 200) {
      fail(`${kind} ${r.status}`);
      const key = `${kind} ${r.status}`;
      const sample = (r.body?.toString('utf8') ?? '').slice(0, 200);
      const list = (errorSamples[key] ??= []);
      if (list.length < 3 && !list.includes(sample)) list.push(sample);
      return;
    }
    if (kind === 'playlist') { count.playlists++; lat.playlist.push(r.totalMs); } else {
      count.segments++;
      lat.segment.push(r.totalMs);
      lat.segmentTtfb.push(r.ttfbMs);
    }
  }
  function recordError(kind: string, err: unknown) {
    if (!inWindow(performance.now())) return;
    count.requests++;
    fail(`${kind} ${err instanceof HttpError ? err.kind : (err as Error).message}`);
  }

  const conns = Array.from({ length: o.viewers }, (_, i) => new Connection(o.port, viewerAddress((o.firstViewer ?? 0) + i), o.timeoutMs));

  // 1. Every resident opens the link (not measured in the window; reported apart).
  const openMs: number[] = [];
  const openErrors: Record<string, number> = {};
  const playlistUrls: Array<string | null> = new Array(o.viewers).fill(null);
  const openStart = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(o.openConcurrency, o.viewers) }, async () => {
    while (!stopped && next < o.viewers) {
      const i = next++;
      try {
        const r = await conns[i]!.postJson('/api/share/open', { token: o.token, device: deviceId((o.firstViewer ?? 0) + i) });
        openMs.push(r.totalMs);
        if (r.status !== 200) { openErrors[`open ${r.status}`] = (openErrors[`open ${r.status}`] ?? 0) + 1; continue; }
        const view = JSON.parse(r.body!.toString('utf8')) as { cameras: Array<{ playlistUrl: string }> };
        playlistUrls[i] = view.cameras[0]?.playlistUrl ?? null;
      } catch (err) {
        const k = `open ${err instanceof HttpError ? err.kind : (err as Error).message}`;
        openErrors[k] = (openErrors[k] ?? 0) + 1;
      }
    }
  }));
  const openSec = (performance.now() - openStart) / 1000;
  const opened = playlistUrls.filter((u) => u !== null).length;
  emit({ phase: 'opened', opened, seconds: +openSec.toFixed(2) });

  // 2. Watching.
  async function watch(i: number, url: string) {
    const conn = conns[i]!;
    const base = url.slice(0, url.indexOf('index.m3u8'));
    let lastFetched = -1; // media sequence number of the last segment fetched
    let lastEnd = -1;
    let firstSegment = true;
    await sleep(Math.random() * o.rampSec * 1000);
    const started = performance.now();
    while (!stopped) {
      const t0 = performance.now();
      let reloadMs = 1000;
      try {
        const r = await conn.get(url, true);
        record('playlist', r, performance.now());
        if (r.status === 200) {
          const pl = parsePlaylist(r.body!.toString('utf8'));
          const end = pl.mediaSequence + pl.segments.length - 1;
          const updated = end !== lastEnd;
          lastEnd = end;
          let from: number;
          if (lastFetched < 0 || lastFetched > end) {
            if (lastFetched > end) sequenceResets++; // the relay restarted: a new window
            from = Math.max(pl.mediaSequence, end - LIVE_SYNC_COUNT + 1);
          } else if (lastFetched + 1 < pl.mediaSequence) {
            // Fell out of the live window: those segments are gone. hls.js jumps back to the live sync position.
            const resume = Math.max(pl.mediaSequence, end - LIVE_SYNC_COUNT + 1);
            if (inWindow(t0)) missedSegments += resume - lastFetched - 1;
            from = resume;
          } else {
            from = lastFetched + 1;
          }
          for (let seq = from; seq <= end && !stopped; seq++) {
            const seg = pl.segments[seq - pl.mediaSequence]!;
            try {
              const s = await conn.get(base + seg.uri, false);
              record('segment', s, performance.now());
              if (s.status === 200 && firstSegment) { firstSegment = false; firstSegmentMs.push(performance.now() - started); }
              if (s.status === 200 && segDurations.length < 10_000) segDurations.push(seg.duration);
            } catch (err) {
              recordError('segment', err);
            }
            lastFetched = seq;
          }
          const last = pl.segments.at(-1)?.duration ?? pl.targetDuration;
          reloadMs = updated ? 1000 * Math.min(pl.targetDuration, last > 0 ? last : pl.targetDuration) : (1000 * pl.targetDuration) / 2;
        }
      } catch (err) {
        recordError('playlist', err);
      }
      await sleep(Math.max(0, reloadMs - (performance.now() - t0)));
    }
  }
  const loops = playlistUrls.map((u, i) => (u ? watch(i, u) : Promise.resolve()));

  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  await sleep((o.rampSec + o.warmupSec) * 1000);
  windowStart = performance.now();
  eld.enable();
  emit({ phase: 'measure' });
  await sleep(o.seconds * 1000);
  windowEnd = performance.now();
  eld.disable();
  emit({ phase: 'measured' });
  stopped = true;
  for (const c of conns) c.close();
  await Promise.race([Promise.all(loops), sleep(5000)]);

  const sec = (windowEnd - windowStart) / 1000;
  const segSec = segDurations.length ? segDurations.reduce((a, b) => a + b, 0) / segDurations.length : NaN;
  // The histogram holds whole timer intervals (resolution included): what is left over is the lag.
  const ms = (ns: number) => Math.max(0, Math.round((ns - ELD_RESOLUTION_MS * 1e6) / 1e4) / 100);
  emit({
    phase: 'done',
    result: {
      opens: { requested: o.viewers, ok: opened, seconds: +openSec.toFixed(2), latencyMs: percentiles(openMs), errors: openErrors },
      windowSec: +sec.toFixed(2),
      segmentSec: +segSec.toFixed(3),
      requestsPerSec: +(count.requests / sec).toFixed(1),
      playlistsPerSec: +(count.playlists / sec).toFixed(1),
      segmentsPerSec: +(count.segments / sec).toFixed(1),
      bytesPerSec: Math.round(count.bytes / sec),
      mbitPerSec: +((count.bytes * 8) / 1e6 / sec).toFixed(1),
      /** Segments served in the window over what N players in real time need (N × window / segment length). */
      keptUpRatio: +((count.segments * segSec) / (opened * sec)).toFixed(3),
      missedSegments,
      sequenceResets,
      latencyMs: {
        playlist: percentiles(lat.playlist),
        segment: percentiles(lat.segment),
        segmentFirstByte: percentiles(lat.segmentTtfb),
      },
      firstSegmentAfterStartMs: percentiles(firstSegmentMs),
      errors,
      errorSamples,
      statuses,
      reconnects: conns.reduce((n, c) => n + Math.max(0, c.connects - 1), 0),
      loadGeneratorEventLoopLagMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
    },
  });
}

const options = JSON.parse(process.argv[2] ?? 'null') as LoadOptions | null;
if (!options) throw new Error('usage: load.ts <options JSON>');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
runLoad(options).then(
  () => process.exit(0),
  (err: unknown) => {
    emit({ phase: 'error', error: String((err as Error)?.stack ?? err) });
    process.exit(1);
  },
);
