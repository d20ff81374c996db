// A fleet of 200 cameras starts, costs nothing while idle, is controllable over HTTP, and stops;
// the CLI prints one JSON line per camera and exits cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, planCamera, rtpCounters, startFleet } from '../../scripts/simulator/index';
import { clock } from '../../scripts/simulator/clock';
import { RtspTestClient, sleep, until } from './rtsp-client';

// This file's own ranges: 2400–2599 for the fleet, 2600–2609 for the CLI (2000–2199 belongs to the relay tests).
const FIRST = 2400;
const COUNT = 200;

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = tcpConnect({ host, port });
    s.once('connect', () => { s.destroy(); res(false); });
    s.once('error', () => res(true));
  });
}

let fleet: Fleet;
beforeAll(async () => {
  const specs = Array.from({ length: COUNT }, (_, i) =>
    planCamera({ index: FIRST + i, name: `fleet-${FIRST + i}`, network: 'xueliang', orgUnitCode: '339901' }));
  fleet = await startFleet(specs, { controlPort: 0 });
}, 120_000);
afterAll(async () => {
  await fleet?.close();
});

describe('fleet of 200', () => {
  it('starts every camera on its own loopback address', () => {
    expect(fleet.cameras).toHaveLength(COUNT);
    expect(new Set(fleet.cameras.map((c) => c.spec.host)).size).toBe(COUNT);
    expect(fleet.get(`sim-0${FIRST + 7}`)?.spec.index).toBe(FIRST + 7);
  });

  it('generates no RTP and runs no pacing timer while nobody plays', async () => {
    const before = rtpCounters.packets;
    await sleep(1000);
    expect(rtpCounters.packets).toBe(before);
    expect(clock.size).toBe(0);
    expect(fleet.cameras.every((c) => c.activeStreams() === 0 && c.stats().rtpPackets === 0)).toBe(true);

    // The counter does move when someone plays (so the check above can fail), and stops again after TEARDOWN.
    const cam = fleet.cameras[3];
    const c = await RtspTestClient.open(cam.rtspUrl, { username: cam.spec.username, password: cam.spec.password });
    await c.play();
    expect(await until(() => rtpCounters.packets > before)).toBe(true);
    expect(clock.size).toBe(1);
    await c.request('TEARDOWN');
    c.close();
    expect(cam.activeStreams()).toBe(0);
    expect(clock.size).toBe(0);
  });

  it('control endpoint lists cameras and switches faults', async () => {
    const list = (await (await fetch(`${fleet.controlUrl}/cameras`)).json()) as Array<{ id: string; fault: { kind: string } }>;
    expect(list).toHaveLength(COUNT);
    const id = list[5].id;
    const set = await fetch(`${fleet.controlUrl}/cameras/${id}/fault`, { method: 'POST', body: JSON.stringify({ kind: 'flapping', periodSec: 30 }) });
    expect(set.status).toBe(200);
    expect(fleet.get(id)?.fault).toEqual({ kind: 'flapping', periodSec: 30 });
    const bad = await fetch(`${fleet.controlUrl}/cameras/${id}/fault`, { method: 'POST', body: JSON.stringify({ kind: 'slow' }) });
    expect(bad.status).toBe(400);
    expect((await fetch(`${fleet.controlUrl}/cameras/nope/fault`, { method: 'POST', body: '{}' })).status).toBe(404);
    await fetch(`${fleet.controlUrl}/cameras/${id}/fault`, { method: 'POST', body: JSON.stringify({ kind: 'none' }) });
    expect(fleet.get(id)?.fault.kind).toBe('none');
  });

  it('closes every listener', async () => {
    const sample = fleet.cameras[COUNT - 1];
    expect(await refused(sample.spec.host, sample.spec.rtspPort)).toBe(false);
    await fleet.close();
    expect(await refused(sample.spec.host, sample.spec.rtspPort)).toBe(true);
    expect(await refused(sample.spec.host, sample.spec.onvifPort)).toBe(true);
  });
});

describe('fleet CLI', () => {
  it('prints one JSON line per camera and exits 0 on SIGTERM', async () => {
    const tsx = resolve('node_modules/.bin/tsx');
    const child = spawn(tsx, ['scripts/simulator/cli.ts', '--cameras', '3', '--from-index', '2600'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      // Three complete lines (newline-terminated): a long line can arrive in two chunks.
      expect(await until(() => (out.match(/\n/g)?.length ?? 0) >= 3 || child.exitCode !== null, 30_000)).toBe(true);
      const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      expect(lines.map((l) => l.id)).toEqual(['sim-02600', 'sim-02601', 'sim-02602']);
      for (const l of lines) {
        expect(Object.keys(l).sort()).toEqual(['fixture', 'id', 'name', 'network', 'onvifXAddr', 'orgUnitCode', 'password', 'rtspUrl', 'subFixture', 'subStreamUrl', 'username']);
        expect(l.rtspUrl).toMatch(/^rtsp:\/\/127\.0\.\d+\.\d+:8554\/stream1$/);
        expect(l.subStreamUrl).toBe(l.rtspUrl.replace(/stream1$/, 'stream2'));
      }
      expect(await refused(new URL(lines[0].rtspUrl).hostname, 8554)).toBe(false);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toMatch(/SIGTERM: stopping/);
    } finally {
      // SIGTERM first: tsx passes it on to the simulator; a SIGKILL to tsx alone would orphan it (ports held).
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    }
  });
});
