// Resident share links' shared rules: the bounds the contract and the web form use, and when a link may be used
// (the share service decides access with linkState; the web shows each link's status with it).
import { describe, expect, it } from 'vitest';
import { NewShareLink } from '../../server/contracts/share';
import {
  chinaMinutes, DEFAULT_MAX_VIEWERS, inDailyWindow, isHhmm, linkState, MAX_DEVICES_LIMIT, MAX_EXPIRY_HOURS, MAX_LABEL_LENGTH,
  MAX_LINK_CAMERAS, MAX_VIEWERS_LIMIT, MIN_EXPIRY_HOURS, residentRewindFrom,
} from '../../server/domain/share-policy';

const at = (utc: string) => new Date(`2026-11-23T${utc}:00Z`);

describe('share link bounds', () => {
  it('are the ones the contract validates with', () => {
    // The schema as JSON Schema keywords (TypeBox's static types do not list them).
    const p = NewShareLink.properties as unknown as Record<string, Record<string, unknown>>;
    expect([p.label.maxLength, p.cameraIds.maxItems]).toEqual([MAX_LABEL_LENGTH, MAX_LINK_CAMERAS]);
    expect([p.expiresInHours.minimum, p.expiresInHours.maximum]).toEqual([MIN_EXPIRY_HOURS, MAX_EXPIRY_HOURS]);
    expect(p.maxDevices.maximum).toBe(MAX_DEVICES_LIMIT);
    expect([p.maxViewers.maximum, p.maxViewers.default]).toEqual([MAX_VIEWERS_LIMIT, DEFAULT_MAX_VIEWERS]);
    expect(MAX_EXPIRY_HOURS).toBe(24 * 366);
  });

  it('read daily window ends as HH:MM on a 24-hour clock', () => {
    for (const ok of ['00:00', '08:30', '23:59']) expect(isHhmm(ok)).toBe(true);
    for (const bad of ['8:00', '24:00', '12:60', '12:00:00', ' 12:00', '']) expect(isHhmm(bad)).toBe(false);
  });
});

describe('share link policy', () => {
  it('reads the clock in China time', () => {
    expect(chinaMinutes(at('00:30'))).toBe(8 * 60 + 30);
    expect(chinaMinutes(at('17:00'))).toBe(60);
  });

  it('opens daily windows, including ones that wrap past midnight', () => {
    expect(inDailyWindow('08:00', '20:00', at('01:00'))).toBe(true); // 09:00 CST
    expect(inDailyWindow('08:00', '20:00', at('13:00'))).toBe(false); // 21:00 CST
    expect(inDailyWindow('22:00', '06:00', at('15:00'))).toBe(true); // 23:00 CST
    expect(inDailyWindow('22:00', '06:00', at('21:59'))).toBe(true); // 05:59 CST
    expect(inDailyWindow('22:00', '06:00', at('22:00'))).toBe(false); // 06:00 CST
    expect(inDailyWindow('11:00', '02:00', at('04:00'))).toBe(true); // 12:00 CST
    expect(inDailyWindow('00:00', '00:30', at('16:15'))).toBe(true); // 00:15 CST
    expect(inDailyWindow('00:00', '00:30', at('16:30'))).toBe(false); // 00:30 CST
  });

  it('ranks revoked over expired over outside the window', () => {
    const terms = { expiresAt: '2026-11-24T00:00:00Z', revokedAt: null, windowStart: '08:00', windowEnd: '20:00' };
    expect(linkState(terms, at('01:00'))).toBe('active');
    expect(linkState(terms, at('13:00'))).toBe('outside-window');
    expect(linkState({ ...terms, windowStart: null, windowEnd: null }, at('13:00'))).toBe('active');
    expect(linkState({ ...terms, expiresAt: '2026-11-23T00:00:00Z' }, at('01:00'))).toBe('expired');
    expect(linkState(terms, new Date('2026-11-24T00:00:00Z'))).toBe('expired'); // the expiry instant itself
    expect(linkState({ ...terms, revokedAt: '2026-11-23T00:30:00Z', expiresAt: '2026-11-23T00:00:00Z' }, at('01:00'))).toBe('revoked');
  });
});

describe('resident rewind window', () => {
  const base = { expiresAt: '2026-11-24T00:00:00Z', revokedAt: null, windowStart: null, windowEnd: null, createdAt: '2026-11-22T00:00:00Z' };

  it('allows none unless the link says so, and none when the link cannot be used', () => {
    expect(residentRewindFrom({ ...base, rewindMinutes: 0 }, at('01:00'))).toBeNull();
    expect(residentRewindFrom({ ...base, rewindMinutes: 5, revokedAt: '2026-11-23T00:00:00Z' }, at('01:00'))).toBeNull();
    expect(residentRewindFrom({ ...base, rewindMinutes: 5, windowStart: '08:00', windowEnd: '20:00' }, at('13:00'))).toBeNull();
  });

  it('reaches back the link\'s minutes, never before the link was made nor before today\'s window opened', () => {
    const now = at('01:00'); // 09:00 CST
    expect(residentRewindFrom({ ...base, rewindMinutes: 5 }, now)).toBe(now.getTime() - 5 * 60_000);
    const made = new Date(now.getTime() - 2 * 60_000).toISOString();
    expect(residentRewindFrom({ ...base, rewindMinutes: 5, createdAt: made }, now)).toBe(Date.parse(made));
    // Window opened at 08:58 CST: two minutes ago, so a 5-minute rewind stops at the opening minute.
    expect(residentRewindFrom({ ...base, rewindMinutes: 5, windowStart: '08:58', windowEnd: '20:00' }, now)).toBe(now.getTime() - 2 * 60_000);
    // A window wrapping past midnight, opened 22:00 CST yesterday: the link's 60 minutes fit inside it.
    const late = at('16:30'); // 00:30 CST
    expect(residentRewindFrom({ ...base, rewindMinutes: 60, windowStart: '22:00', windowEnd: '06:00' }, late)).toBe(late.getTime() - 60 * 60_000);
    expect(residentRewindFrom({ ...base, rewindMinutes: 60, windowStart: '00:10', windowEnd: '06:00' }, late)).toBe(late.getTime() - 20 * 60_000);
  });
});
