// A discovery run, framework-free: find ONVIF devices (unicast probes to listed hosts, or one multicast probe on
// an interface through the onvif package's Discovery) and interrogate each one found. The caller persists and
// pushes what it is told through the callbacks.
import { createRequire } from 'node:module';
import { networkInterfaces } from 'node:os';
import type { DiscoveryFailure } from '../../contracts/catalogue';
import { type ProbeMatch, parseProbeMatch } from '../ws-discovery/messages';
import { probeUnicast } from '../ws-discovery/unicast';
import { type DeviceFacts, interrogate, InterrogationError } from './interrogate';

export interface FoundDevice {
  address: string;
  match: ProbeMatch;
  xaddr: string;
  facts: DeviceFacts | null;
  failure: { kind: DiscoveryFailure; message: string } | null;
}

export interface DiscoveryRun {
  mode: 'unicast' | 'multicast';
  hosts?: string[];
  iface?: string;
  credentials?: { username: string; password: string };
  timeoutMs: number;
  concurrency: number;
  signal: AbortSignal;
  onProgress(probed: number, total: number): void;
  onDevice(device: FoundDevice): Promise<void>;
}

/** The XAddr on the host that answered, when a device lists several (one per interface). */
function pickXaddr(match: ProbeMatch, address: string): string | undefined {
  return match.xaddrs.find((x) => new URL(x).hostname === address) ?? match.xaddrs[0];
}

async function examine(run: DiscoveryRun, address: string, match: ProbeMatch): Promise<FoundDevice> {
  const xaddr = pickXaddr(match, address);
  if (!xaddr) return { address, match, xaddr: '', facts: null, failure: { kind: 'not-onvif', message: 'the ProbeMatch carries no device service address' } };
  try {
    const facts = await interrogate({ xaddr, username: run.credentials?.username, password: run.credentials?.password, timeoutMs: run.timeoutMs });
    return { address, match, xaddr, facts, failure: null };
  } catch (err) {
    const e = err instanceof InterrogationError ? err : new InterrogationError('bad-response', (err as Error).message);
    return { address, match, xaddr, facts: null, failure: { kind: e.kind, message: e.message } };
  }
}

export async function runDiscovery(run: DiscoveryRun): Promise<void> {
  if (run.mode === 'unicast') {
    const hosts = run.hosts ?? [];
    let probed = 0;
    run.onProgress(0, hosts.length);
    await probeUnicast(hosts, {
      timeoutMs: run.timeoutMs,
      concurrency: run.concurrency,
      signal: run.signal,
      onHost: async (host, match) => {
        if (match && !run.signal.aborted) await run.onDevice(await examine(run, host, match));
        run.onProgress(++probed, hosts.length);
      },
    });
    return;
  }
  await runMulticast(run);
}

// ── multicast ─────────────────────────────────────────────────────────────────────────────────────────────

interface OnvifDiscovery {
  on(event: 'device', listener: (data: unknown, rinfo: { address: string }, xml: string) => void): void;
  on(event: 'error', listener: (err: unknown) => void): void;
  removeListener(event: string, listener: (...args: any[]) => void): void;
  probe(options: Record<string, unknown>, cb: (err: unknown, found: unknown[]) => void): void;
}
const { Discovery } = createRequire(import.meta.url)('onvif') as { Discovery: OnvifDiscovery };

// The onvif Discovery is a process-wide singleton emitter: two probes at once would see each other's answers.
let multicastBusy: Promise<void> = Promise.resolve();

export function interfaceExists(name: string): boolean {
  return (networkInterfaces()[name] ?? []).some((a) => a.family === 'IPv4');
}

function runMulticast(run: DiscoveryRun): Promise<void> {
  const task = multicastBusy.then(() => multicastOnce(run));
  multicastBusy = task.catch(() => undefined);
  return task;
}

async function multicastOnce(run: DiscoveryRun): Promise<void> {
  if (!run.iface || !interfaceExists(run.iface)) throw new Error(`interface ${run.iface} has no IPv4 address`);
  const answers: Array<{ address: string; match: ProbeMatch }> = [];
  const seen = new Set<string>();
  const onDevice = (_data: unknown, rinfo: { address: string }, xml: string) => {
    const match = parseProbeMatch(String(xml));
    if (!match || seen.has(match.endpointRef)) return;
    seen.add(match.endpointRef);
    answers.push({ address: rinfo.address, match });
  };
  const onError = () => undefined; // garbage datagrams: ignored, as on a real LAN
  Discovery.on('device', onDevice);
  Discovery.on('error', onError);
  run.onProgress(0, 0);
  try {
    await new Promise<void>((resolve, reject) => {
      // resolve:false — the Cam objects it would build are not used; interrogation does its own connect.
      Discovery.probe({ device: run.iface, timeout: run.timeoutMs, resolve: false }, (err) => {
        const fatal = err && !Array.isArray(err) ? err : undefined; // an array lists bad answers only
        if (fatal) reject(fatal instanceof Error ? fatal : new Error(String(fatal)));
        else resolve();
      });
    });
  } finally {
    Discovery.removeListener('device', onDevice);
    Discovery.removeListener('error', onError);
  }
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < answers.length && !run.signal.aborted) {
      const a = answers[next++];
      await run.onDevice(await examine(run, a.address, a.match));
      run.onProgress(++done, answers.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(run.concurrency, answers.length) }, worker));
  run.onProgress(answers.length, answers.length);
}
