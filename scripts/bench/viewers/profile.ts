// Summary of a V8 .cpuprofile (node --cpu-prof): self time by function and by where the code lives.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Where a frame's code lives: a package, a node: internal, a file of ours, or V8's own (GC, idle, program). */
function placeOf(url: string, functionName: string): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const ours = /\/work\/[^/]+\/(.+)$/.exec(url.replace(/^file:\/\//, ''));
  return ours ? ours[1]! : url;
}

/** `window`: only samples taken between these CLOCK_MONOTONIC microseconds (process.hrtime in any process on the
 * machine reads the same clock as V8's profile timestamps), e.g. one measured window of one phase. */
export function summariseProfile(file: string, window?: { fromUs: number; toUs: number }, top = 20) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // samples[i] was taken timeDeltas[i] after the previous one: charge each interval to the sample that ends it.
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    selfUs.set(p.samples[i]!, (selfUs.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  // Shares of busy time: the idle samples (waiting in epoll) say nothing about where the CPU went.
  let idleUs = 0;
  for (const [id, us] of selfUs) if (byId.get(id)!.callFrame.functionName === '(idle)') idleUs += us;
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0) - idleUs || 1;
  const fns = new Map<string, number>();
  const places = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const place = placeOf(url, functionName);
    const key = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([what, us]) => ({ what, selfPct: +((100 * us) / total).toFixed(1) }));
  return { file, window: window ? 'one measured window' : 'whole run', busySec: +(total / 1e6).toFixed(1), idleSec: +(idleUs / 1e6).toFixed(1), byPlace: rank(places), byFunction: rank(fns) };
}
