// What Linux's /proc says about a process and the machine, for the benches that measure other processes (the
// gateway, relays, ffmpeg, the simulator fleet) from outside. Zeros where a file cannot be read (process gone,
// not Linux): a bench reports them rather than failing half-way.
import { readFileSync } from 'node:fs';

/** USER_HZ, the unit of /proc's CPU times: 100 on every Linux the console runs on. */
const CLK_TCK = 100;

/** utime + stime of every thread of the process, in seconds. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Resident and proportional set size in kB (smaps_rollup): PSS shares pages with other processes fairly. */
export function memoryKb(pid: number): { rss: number; pss: number } {
  try {
    const t = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return { rss: Number(/^Rss:\s+(\d+)/m.exec(t)?.[1] ?? 0), pss: Number(/^Pss:\s+(\d+)/m.exec(t)?.[1] ?? 0) };
  } catch {
    return { rss: 0, pss: 0 };
  }
}

/** Resident set now and its high-water mark, in MB (status: cheaper to read than smaps_rollup, no PSS). */
export function rssMb(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: +(kb('VmRSS') / 1024).toFixed(1), hwm: +(kb('VmHWM') / 1024).toFixed(1) };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** Machine-wide jiffies from the first line of /proc/stat: busy (everything but idle and iowait) and total. */
export function machineJiffies(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

export interface CpuMark { at: number; procs: Map<number, number>; machine: { busy: number; total: number } }

export function mark(pids: number[]): CpuMark {
  return { at: performance.now(), procs: new Map(pids.map((p) => [p, cpuSeconds(p)])), machine: machineJiffies() };
}

/** CPU % of one core for each pid between two marks, and the whole machine's busy share (% of all cores). */
export function cpuBetween(a: CpuMark, b: CpuMark): { wallSec: number; pct: Map<number, number>; machineBusyPct: number } {
  const wallSec = (b.at - a.at) / 1000;
  const pct = new Map<number, number>();
  for (const [pid, c0] of a.procs) pct.set(pid, +((100 * ((b.procs.get(pid) ?? c0) - c0)) / wallSec).toFixed(1));
  const total = b.machine.total - a.machine.total;
  return { wallSec, pct, machineBusyPct: total > 0 ? +((100 * (b.machine.busy - a.machine.busy)) / total).toFixed(1) : 0 };
}
