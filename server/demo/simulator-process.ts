// The demo county's simulated cameras, run as a child process of the gateway. server/ never imports the simulator
// (it lives in scripts/, a library for tests and benchmarks): the demo only runs its command-line entry, so the
// fleet's CPU and any crash stay apart from the gateway's, and a checkout without scripts/ simply has no video.
//
// Finding the entry: `npm start` runs the gateway as one bundle under node_modules/.cache/, but server/bundle.mjs
// writes each module's own import.meta.dirname into it, so this path is the checkout's wherever the code runs.
// The simulator is TypeScript, so it runs through tsx (a dependency, resolved from the checkout: cwd is its root).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const SIMULATOR_CLI = resolve(ROOT, 'scripts/simulator/cli.ts');

export interface SimulatorOptions {
  /** The first `cameras` cameras of the demo county (what the seed wrote). */
  cameras: number;
  /** Second octet of their loopback addresses (config demo.simulatorNet, see simHost). */
  net: number;
  /** RTMP URLs (with stream keys) the simulator's pushing devices publish to (移动视频). */
  push?: string[];
}

export interface SimulatorProcess {
  readonly child: ChildProcess;
  /** SIGTERM (the CLI closes every listener), then waits for the exit at most `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function simulatorPresent(): boolean {
  return existsSync(SIMULATOR_CLI);
}

/** Starts the fleet; its JSON lines on stdout are not read (the seed already knows every camera), stderr is shown. */
export function startSimulator(options: SimulatorOptions): SimulatorProcess {
  const push = (options.push ?? []).flatMap((url) => ['--push', url]);
  const child = spawn(process.execPath, ['--import', 'tsx', SIMULATOR_CLI, '--cameras', String(options.cameras), '--net', String(options.net), ...push], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    child,
    async stop(graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    },
  };
}
