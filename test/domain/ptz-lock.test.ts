// The PTZ control-lock rule (server/domain/ptz-lock.ts), as a table.
import { describe, expect, it } from 'vitest';
import {
  LOCK_IDLE_MS, MOVE_SILENCE_MS, type PtzController, type PtzHolder, canTakeOver, decideLock, isStill, outranks, ptzLevel, silentTooLong,
} from '../../server/domain/ptz-lock';

const county: PtzController = { userId: 1, name: '县调度员', level: 'county' };
const county2: PtzController = { userId: 2, name: '县值班长', level: 'county' };
const town: PtzController = { userId: 3, name: '城关镇', level: 'township' };
const village: PtzController = { userId: 4, name: '团结社区', level: 'village' };
const T = 1_000_000;
const held = (c: PtzController, lastActive = T - 1000): PtzHolder => ({ ...c, since: T - 5000, lastActive });

describe('PTZ control lock', () => {
  const table: Array<[string, PtzHolder | undefined, PtzController, boolean, string, string | undefined]> = [
    // name, current holder, caller, takeOver, outcome, previous holder's fate
    ['free lock goes to the first caller', undefined, town, false, 'granted', undefined],
    ['own lock is kept (and refreshed)', held(town), town, false, 'granted', undefined],
    ['own lock with takeOver is just kept', held(town), town, true, 'granted', undefined],
    ['another holder refuses a command', held(town), county, false, 'refused:held', undefined],
    ['county takes over from a township', held(town), county, true, 'granted', 'taken-over'],
    ['county takes over from a village', held(village), county, true, 'granted', 'taken-over'],
    ['township takes over from a village', held(village), town, true, 'granted', 'taken-over'],
    ['same level cannot take over', held(county), county2, true, 'refused:not-higher', undefined],
    ['lower level cannot take over', held(county), town, true, 'refused:not-higher', undefined],
    ['village cannot take over a township', held(town), village, true, 'refused:not-higher', undefined],
    ['an idle lock (60 s) is free for anyone', held(county, T - LOCK_IDLE_MS), village, false, 'granted', 'idle'],
    ['just under 60 s idle still holds', held(county, T - LOCK_IDLE_MS + 1), village, false, 'refused:held', undefined],
  ];
  it.each(table)('%s', (_name, current, caller, takeOver, outcome, fate) => {
    const d = decideLock(current, caller, T, takeOver);
    expect(d.kind === 'granted' ? 'granted' : `refused:${d.reason}`).toBe(outcome);
    if (d.kind === 'granted') {
      expect(d.holder.userId).toBe(caller.userId);
      expect(d.holder.lastActive).toBe(T);
      expect(d.previous?.reason).toBe(fate);
      if (fate) expect(d.previous!.holder.userId).toBe(current!.userId);
      // A kept lock keeps its session start; a new one starts now.
      expect(d.holder.since).toBe(current?.userId === caller.userId ? current.since : T);
    } else {
      expect(d.holder).toBe(current);
    }
  });

  it('offers the take-over button only to a higher level against a live lock of someone else', () => {
    expect(canTakeOver(held(town), county, T)).toBe(true);
    expect(canTakeOver(held(town), town, T)).toBe(false);
    expect(canTakeOver(held(county), town, T)).toBe(false);
    expect(canTakeOver(held(town, T - LOCK_IDLE_MS), county, T)).toBe(false); // free anyway
    expect(canTakeOver(undefined, county, T)).toBe(false);
  });

  it('ranks levels, compounds as villages', () => {
    expect(ptzLevel('compound')).toBe('village');
    expect(ptzLevel('county')).toBe('county');
    expect(outranks('county', 'township')).toBe(true);
    expect(outranks('township', 'township')).toBe(false);
    expect(outranks('village', 'county')).toBe(false);
  });

  it('stops a move whose controller went silent for more than a second', () => {
    expect(silentTooLong(T - MOVE_SILENCE_MS, T)).toBe(false);
    expect(silentTooLong(T - MOVE_SILENCE_MS - 1, T)).toBe(true);
    expect(isStill({ pan: 0, tilt: 0, zoom: 0 })).toBe(true);
    expect(isStill({ pan: 0, tilt: 0, zoom: -0.5 })).toBe(false);
  });
});
