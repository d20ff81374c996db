// kill -9 during tag/dispatch writes: every acknowledged write survives the restart, nothing is half-written.
// The gateway is a real child process (server/server.ts, as `npm start` runs it), killed by PID mid-run.
import { describe, expect, it } from 'vitest';
import { runDurability } from '../../scripts/bench/reliability/durability';

describe('durability under kill -9', () => {
  it('keeps every acknowledged danger and dispatch whole across a kill -9 and restart', async () => {
    // A smaller run than the bench's 1,000 writes; the kill point is random within the middle half.
    const report = await runDurability({ writes: 240, concurrency: 8, deadlineMs: 240_000 });
    expect(report.writes).toBe(240);
    expect(report.killedAtWrite).toBeGreaterThan(0);
    expect(report.killedAtWrite).toBeLessThan(240);
    expect(report.acknowledgedBeforeKill).toBeGreaterThan(0);
    // Writes after the restart were acknowledged too: the gateway serves on the recovered database.
    expect(report.acknowledged).toBeGreaterThan(report.acknowledgedBeforeKill);
    expect(report.afterRestart.problems).toEqual([]);
    expect(report.atEnd.problems).toEqual([]);
    expect(report.missing).toBe(0);
    expect(report.halfWritten).toBe(0);
    expect(report.present).toBe(report.acknowledged);
    expect(report.failed).toBe(0);
  }, 300_000);
});
