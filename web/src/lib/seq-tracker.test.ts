import { describe, expect, it } from 'vitest';
import { SeqTracker } from './seq-tracker';

describe('SeqTracker', () => {
  it('takes the first greeting as the baseline and remembers live events', () => {
    const t = new SeqTracker();
    expect(t.greet(10)).toEqual({ kind: 'baseline' });
    expect(t.offer(9)).toBe(false); // older than the page
    expect(t.offer(12)).toBe(true);
    expect(t.offer(12)).toBe(false);
    // A reconnect replays from the baseline; 12 is then a duplicate.
    t.disconnected();
    expect(t.greet(12)).toEqual({ kind: 'replay', since: 10 });
    expect(t.offer(12)).toBe(false);
  });

  it('keeps a live event that arrives after a newer one (another gateway node wrote it)', () => {
    const t = new SeqTracker();
    t.greet(10);
    expect(t.offer(12)).toBe(true);
    expect(t.offer(11)).toBe(true);
    expect(t.offer(11)).toBe(false);
  });

  it('folds old live events into the watermark beyond a window, so the set stays small', () => {
    const t = new SeqTracker();
    t.greet(0);
    for (let seq = 1; seq <= 600; seq++) t.offer(seq);
    expect(t.resumeFrom).toBeGreaterThan(0);
    expect(t.resumeFrom).toBeLessThanOrEqual(600 - 256);
    expect(t.offer(1)).toBe(false);
    expect(t.offer(600)).toBe(false);
  });

  it('counts events that arrived before the greeting as handled', () => {
    const t = new SeqTracker();
    expect(t.offer(15)).toBe(true);
    t.greet(10);
    expect(t.resumeFrom).toBe(15);
    expect(t.offer(15)).toBe(false);
  });

  it('resumes from the last seq handled before the disconnect, even when live events overtake the replay', () => {
    const t = new SeqTracker();
    t.greet(100);
    t.offer(101);
    t.disconnected();
    // Reconnected: the greeting asks for a replay from the watermark (101 is remembered as handled), and a live
    // event 110 lands before the replay answer.
    expect(t.greet(110)).toEqual({ kind: 'replay', since: 100 });
    expect(t.offer(110)).toBe(true);
    expect(t.offer(101)).toBe(false);
    expect(t.resumeFrom).toBe(100); // the gap 102..109 is not handled yet
    // The replay brings 105 and 110: 105 is new, 110 a duplicate.
    expect(t.offer(105)).toBe(true);
    expect(t.offer(110)).toBe(false);
    t.replayedUpTo(110);
    t.caughtUpTo();
    expect(t.resumeFrom).toBe(110);
    expect(t.offer(111)).toBe(true);
    expect(t.offer(111)).toBe(false);
  });

  it('keeps the gap when the connection drops again in the middle of a replay', () => {
    const t = new SeqTracker();
    t.greet(100);
    t.disconnected();
    t.greet(200);
    t.offer(201); // live, overtook the replay
    t.offer(120); // first replay page
    t.replayedUpTo(150);
    t.disconnected();
    expect(t.greet(205)).toEqual({ kind: 'replay', since: 150 });
    expect(t.offer(201)).toBe(false); // still remembered as handled
    expect(t.offer(160)).toBe(true);
  });

  it('closes the gap when a replay gives up (the caller reloads its lists)', () => {
    const t = new SeqTracker();
    t.greet(1);
    t.disconnected();
    t.greet(5000);
    t.caughtUpTo(5000);
    expect(t.resumeFrom).toBe(5000);
    expect(t.offer(4000)).toBe(false);
  });
});
