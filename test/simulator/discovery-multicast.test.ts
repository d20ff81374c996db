// Multicast WS-Discovery, only inside a network namespace this test creates and deletes (nothing can leave the
// machine): the onvif client's Discovery.probe multicasts a Probe, the camera answers unicast.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointUuid } from '../../scripts/simulator/ws-discovery';

const IP = '/usr/sbin/ip';
const NS = `simwsd-${process.pid}`;
let ready = false;
let why = '';

beforeAll(() => {
  if (process.getuid?.() !== 0 || !existsSync(IP)) {
    why = 'needs root and iproute2 to create a network namespace';
    return;
  }
  try {
    execFileSync(IP, ['netns', 'add', NS], { stdio: 'pipe' });
    execFileSync(IP, ['netns', 'exec', NS, IP, 'link', 'set', 'lo', 'up', 'multicast', 'on'], { stdio: 'pipe' });
    execFileSync(IP, ['netns', 'exec', NS, IP, 'route', 'add', '224.0.0.0/4', 'dev', 'lo'], { stdio: 'pipe' });
    ready = true;
  } catch (err) {
    why = `cannot set up network namespace: ${(err as Error).message.split('\n')[0]}`;
  }
  if (!ready) console.warn(`[simulator tests] multicast discovery skipped: ${why}`);
});

afterAll(() => {
  spawnSync(IP, ['netns', 'del', NS], { stdio: 'ignore' });
});

describe('multicast WS-Discovery (inside a private network namespace)', () => {
  it('the onvif client discovers a camera that joined the group', async (ctx) => {
    if (!ready) return ctx.skip();
    const r = spawnSync(IP, ['netns', 'exec', NS, process.execPath, '--import', 'tsx', 'test/simulator/netns-probe.ts', '1450'], {
      encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL',
    });
    expect(r.stderr).not.toMatch(/refusing/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { xaddr: string; probes: number; found: any[] };
    expect(out.probes).toBeGreaterThan(0);
    expect(out.found).toHaveLength(1);
    const match = out.found[0].probeMatches.probeMatch;
    expect(match.XAddrs).toBe(out.xaddr);
    expect(match.endpointReference.address).toBe(endpointUuid('sim-01450'));
  });
});
