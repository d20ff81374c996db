// Multicast WS-Discovery through the onvif package's Discovery, ONLY inside two network namespaces this test
// creates and deletes, joined by a veth pair: the camera (joined to 239.255.255.250) in one, the probe in the
// other. Nothing is ever sent on the machine's real interfaces. Skips, saying why, where namespaces cannot be made.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const NS_PROBE = `cvcdp${process.pid}`;
const NS_CAMERA = `cvcdc${process.pid}`;
const PROBE_IF = 'cvdprobe0';
const CAMERA_IF = 'cvdcam0';
const PROBE_ADDR = '10.213.7.1';
const CAMERA_ADDR = '10.213.7.2';
const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = resolve(import.meta.dirname, 'netns-child.ts');
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe', timeout: 10_000 });
const deleteNamespaces = () => {
  for (const ns of [NS_PROBE, NS_CAMERA]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'pipe', timeout: 10_000 });
};

function createNamespaces(): string | null {
  const first = spawnSync('ip', ['netns', 'add', NS_PROBE], { stdio: 'pipe', timeout: 10_000 });
  if (first.error || first.status !== 0) return (first.error?.message ?? first.stderr.toString().trim()) || `exit ${first.status}`;
  try {
    ip('netns', 'add', NS_CAMERA);
    // The pair is created inside the probe namespace and one end moved: it never exists in the host's namespace.
    ip('-n', NS_PROBE, 'link', 'add', PROBE_IF, 'type', 'veth', 'peer', 'name', CAMERA_IF);
    ip('-n', NS_PROBE, 'link', 'set', CAMERA_IF, 'netns', NS_CAMERA);
    for (const [ns, dev, addr] of [[NS_PROBE, PROBE_IF, PROBE_ADDR], [NS_CAMERA, CAMERA_IF, CAMERA_ADDR]]) {
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', dev);
      ip('-n', ns, 'link', 'set', dev, 'up');
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', dev);
    }
    return null;
  } catch (err) {
    deleteNamespaces();
    return (err as Error).message;
  }
}

const unavailable = process.platform !== 'linux' ? 'not Linux' : createNamespaces();
if (unavailable) console.warn(`[multicast-netns] SKIPPED: cannot create network namespaces here (${unavailable}); multicast discovery is untested on this runner`);

describe.skipIf(!!unavailable)('multicast discovery between two network namespaces', () => {
  let camera: ChildProcess | undefined;
  afterAll(async () => {
    // Only the process this test started, by its PID.
    if (camera?.pid && camera.exitCode === null) {
      const exited = new Promise((r) => camera!.once('exit', r));
      process.kill(camera.pid, 'SIGKILL');
      await exited;
    }
    deleteNamespaces();
  });

  it('finds and interrogates a camera that joined the WS-Discovery group', async () => {
    camera = spawn('ip', ['netns', 'exec', NS_CAMERA, process.execPath, '--import', 'tsx', CHILD, 'camera', CAMERA_ADDR], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    camera.stderr!.on('data', (d) => (stderr += d));
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`camera did not start in 20 s: ${stderr}`)), 20_000);
      camera!.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          ready();
        }
      });
      camera!.once('exit', (code) => fail(new Error(`camera exited (${code}): ${stderr}`)));
    });
    const run = spawnSync('ip', ['netns', 'exec', NS_PROBE, process.execPath, '--import', 'tsx', CHILD, 'probe', PROBE_IF, CAMERA_ADDR], {
      cwd: ROOT, encoding: 'utf8', timeout: 40_000, killSignal: 'SIGKILL',
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      found: Array<{ address: string; xaddr: string; failure: unknown; facts: { serial: string; streamUri: string } | null }>;
      expectedXaddr: string;
      serial: string;
    };
    expect(out.found).toHaveLength(1);
    expect(out.found[0]).toMatchObject({ address: CAMERA_ADDR, xaddr: out.expectedXaddr, failure: null, facts: { serial: out.serial } });
    expect(out.found[0].facts!.streamUri).toContain(CAMERA_ADDR);
  });
});
