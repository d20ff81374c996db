import { describe, expect, it } from 'vitest';
import {
  categoryName, deviceId, DEVICE_KEY, expiryCheckDelay, formatExpiry, initialState, keepPlaying, localMessage, mayRecheck, mergeView,
  playerSuggestsRecheck, recheckInterval, reduce, RECHECK_MAX_INTERVAL_MS, RECHECK_MIN_INTERVAL_MS, reportProblem, showsLink, stateForFailure,
  thumbnailUrl, tokenFromPath, type PageState, type ResidentView,
} from './resident-logic';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
const view: ResidentView = {
  label: '东城小区业主群',
  unitName: '东城小区',
  expiresAt: '2026-11-23T07:30:00.000Z',
  viewerToken: 'v1.abc',
  cameras: [{ id: 151, name: '东城小区13号楼单元门', playlistUrl: '/live/151/index.m3u8?v=v1.abc' }],
};

describe('tokenFromPath', () => {
  it('reads the token of /r/<token>', () => {
    expect(tokenFromPath(`/r/${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromPath(`/r/${TOKEN}/`)).toBe(TOKEN);
  });
  it('refuses other paths and malformed tokens', () => {
    expect(tokenFromPath('/')).toBeNull();
    expect(tokenFromPath('/r/')).toBeNull();
    expect(tokenFromPath('/r/short')).toBeNull();
    expect(tokenFromPath(`/r/${TOKEN}/extra`)).toBeNull();
    expect(tokenFromPath(`/x/${TOKEN}`)).toBeNull();
    expect(tokenFromPath('/r/%E0%A4%A')).toBeNull();
    expect(tokenFromPath(`/r/${'a'.repeat(101)}`)).toBeNull();
  });
});

describe('deviceId', () => {
  const memory = () => {
    const store = new Map<string, string>();
    return { store, getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  };
  it('creates an id once and keeps it', () => {
    const storage = memory();
    let n = 0;
    const uuid = () => `00000000-0000-4000-8000-00000000000${++n}`;
    const first = deviceId(storage, uuid);
    expect(first).toBe('00000000-0000-4000-8000-000000000001');
    expect(storage.store.get(DEVICE_KEY)).toBe(first);
    expect(deviceId(storage, uuid)).toBe(first);
  });
  it('replaces a stored value that the server would refuse, and survives blocked storage', () => {
    const storage = memory();
    storage.store.set(DEVICE_KEY, 'x');
    expect(deviceId(storage, () => 'fresh-device-id')).toBe('fresh-device-id');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(deviceId(broken, () => 'another-device')).toBe('another-device');
    expect(deviceId(undefined, () => 'no-storage-device')).toBe('no-storage-device');
  });
});

describe('HTTP status → page state', () => {
  it('maps every answer of /api/share/open', () => {
    expect(stateForFailure(401, '链接已失效 / This link is no longer valid')).toEqual({ kind: 'invalid' });
    expect(stateForFailure(404)).toEqual({ kind: 'invalid' });
    expect(stateForFailure(403, 'window')).toEqual({ kind: 'closed', message: 'window' });
    expect(stateForFailure(429, 'full', 5)).toEqual({ kind: 'busy', message: 'full', retryAfter: 5 });
    expect(stateForFailure(429, 'full')).toEqual({ kind: 'busy', message: 'full' });
    expect(stateForFailure(0, 'offline')).toEqual({ kind: 'error', status: 0, message: 'offline' });
    expect(stateForFailure(502)).toEqual({ kind: 'error', status: 502, message: '' });
  });
});

describe('page state machine', () => {
  const ready: PageState = { kind: 'ready', view, rechecking: false };

  it('opening → ready', () => {
    expect(initialState).toEqual({ kind: 'opening' });
    expect(reduce(initialState, { type: 'opened', view })).toEqual(ready);
    expect(showsLink(reduce(initialState, { type: 'opened', view }))).toBe(true);
  });

  it('opening → invalid / closed / busy / error', () => {
    expect(reduce(initialState, { type: 'failed', status: 401 }).kind).toBe('invalid');
    expect(reduce(initialState, { type: 'failed', status: 403, message: 'm' })).toEqual({ kind: 'closed', message: 'm' });
    expect(reduce(initialState, { type: 'failed', status: 429, message: 'm' }).kind).toBe('busy');
    expect(reduce(initialState, { type: 'failed', status: 500 }).kind).toBe('error');
  });

  it('busy → retry → opening → ready', () => {
    const busy = reduce(initialState, { type: 'failed', status: 429, message: 'm' });
    const opening = reduce(busy, { type: 'open' });
    expect(opening).toEqual({ kind: 'opening' });
    expect(reduce(opening, { type: 'opened', view }).kind).toBe('ready');
  });

  it('a playback failure rechecks the link: revoked → invalid, and nothing of the link is left', () => {
    const checking = reduce(ready, { type: 'recheck' });
    expect(checking).toEqual({ ...ready, rechecking: true });
    expect(showsLink(checking)).toBe(true);
    const invalid = reduce(checking, { type: 'failed', status: 401, message: '链接已失效 / This link is no longer valid' });
    expect(invalid).toEqual({ kind: 'invalid' });
    expect(showsLink(invalid)).toBe(false);
    expect(JSON.stringify(invalid)).not.toContain('东城');
  });

  it('a recheck that still opens refreshes the view; one that cannot reach the server keeps it', () => {
    const checking = reduce(ready, { type: 'recheck' });
    const fresh = { ...view, viewerToken: 'v1.new', cameras: view.cameras.map((c) => ({ ...c, playlistUrl: `${c.playlistUrl}-new` })) };
    // Same cameras: the URLs already playing stay, so the player is not restarted.
    expect(reduce(checking, { type: 'opened', view: fresh })).toEqual({ kind: 'ready', view, rechecking: false });
    expect(reduce(checking, { type: 'failed', status: 0, message: 'down' })).toEqual(ready);
    expect(reduce(checking, { type: 'failed', status: 429, message: 'slow down' })).toEqual(ready);
    expect(reduce(checking, { type: 'failed', status: 403, message: 'closed now' })).toEqual({ kind: 'closed', message: 'closed now' });
  });

  it('invalid is final: neither a late answer nor a retry brings the link back', () => {
    const invalid: PageState = { kind: 'invalid' };
    expect(reduce(invalid, { type: 'opened', view })).toBe(invalid);
    expect(reduce(invalid, { type: 'open' })).toBe(invalid);
    expect(reduce(invalid, { type: 'recheck' })).toBe(invalid);
  });
});

describe('helpers', () => {
  it('picks the page language out of a bilingual server message', () => {
    const msg = '此链接仅在每天 08:00–20:00 开放 / This link is open daily 08:00–20:00';
    expect(localMessage(msg, 'zh-CN')).toBe('此链接仅在每天 08:00–20:00 开放');
    expect(localMessage(msg, 'en')).toBe('This link is open daily 08:00–20:00');
    expect(localMessage('plain', 'en')).toBe('plain');
  });

  it('formats the expiry in China time', () => {
    expect(formatExpiry('2026-11-23T07:30:00.000Z', 'zh-CN')).toContain('15:30');
    expect(formatExpiry('2026-11-23T07:30:00.000Z', 'en')).toContain('15:30');
    expect(formatExpiry('nonsense', 'en')).toBe('nonsense');
  });

  it('throttles rechecks and keeps the playing camera when the link still holds it', () => {
    expect(mayRecheck(null, 0)).toBe(true);
    expect(mayRecheck(1_000, 1_000 + RECHECK_MIN_INTERVAL_MS - 1)).toBe(false);
    expect(mayRecheck(1_000, 1_000 + RECHECK_MIN_INTERVAL_MS)).toBe(true);
    expect(recheckInterval(1)).toBe(2 * RECHECK_MIN_INTERVAL_MS);
    expect(mayRecheck(1_000, 1_000 + RECHECK_MIN_INTERVAL_MS, 2)).toBe(false);
    expect(mayRecheck(1_000, 1_000 + 4 * RECHECK_MIN_INTERVAL_MS, 2)).toBe(true);
    expect(recheckInterval(50)).toBe(RECHECK_MAX_INTERVAL_MS);
    expect(keepPlaying(151, view)).toBe(151);
    expect(keepPlaying(999, view)).toBeNull();
    expect(keepPlaying(null, view)).toBeNull();
  });
});

describe('expiryCheckDelay', () => {
  it('asks again a second after the link expires, at once when it already has', () => {
    const now = Date.parse('2026-11-23T07:00:00.000Z');
    expect(expiryCheckDelay('2026-11-23T07:30:00.000Z', now)).toBe(30 * 60_000 + 1_000);
    expect(expiryCheckDelay('2026-11-23T06:00:00.000Z', now)).toBe(0);
    expect(expiryCheckDelay('2027-11-23T07:00:00.000Z', now)).toBeNull();
    expect(expiryCheckDelay('nonsense', now)).toBeNull();
  });
});

describe('rechecks from the player', () => {
  it('keeps the playing URLs when the cameras are the same, takes the fresh view otherwise', () => {
    const renamed = { ...view, label: '新名称', viewerToken: 'v1.new', cameras: [{ ...view.cameras[0], name: '新门', playlistUrl: 'new' }] };
    expect(mergeView(view, renamed)).toEqual({ ...renamed, viewerToken: 'v1.abc', cameras: [{ ...renamed.cameras[0], playlistUrl: view.cameras[0].playlistUrl }] });
    const more = { ...view, cameras: [...view.cameras, { id: 152, name: 'b', playlistUrl: 'b' }] };
    expect(mergeView(view, more)).toBe(more);
    const other = { ...view, cameras: [{ id: 152, name: 'b', playlistUrl: 'b' }] };
    expect(mergeView(view, other)).toBe(other);
  });

  it('rechecks when a player gives up or retries after an error, not while it connects or plays', () => {
    expect(playerSuggestsRecheck({ phase: 'offline', reason: { key: 'player.loadError' } })).toBe(true);
    expect(playerSuggestsRecheck({ phase: 'connecting', reason: { key: 'player.retrying' } })).toBe(true);
    expect(playerSuggestsRecheck({ phase: 'connecting', reason: { key: 'player.relayBusy' } })).toBe(false);
    expect(playerSuggestsRecheck({ phase: 'connecting' })).toBe(false);
    expect(playerSuggestsRecheck({ phase: 'live' })).toBe(false);
  });

  it('keeps thumbnail URLs across a recheck, and refreshes them past the image cache', () => {
    const withThumb: ResidentView = { ...view, cameras: [{ ...view.cameras[0], snapshotUrl: '/api/share/cameras/151/snapshot.jpg?v=v1.abc' }] };
    const fresh: ResidentView = { ...withThumb, viewerToken: 'v1.new', cameras: [{ ...withThumb.cameras[0], playlistUrl: 'p2', snapshotUrl: 's2' }] };
    expect(mergeView(withThumb, fresh).cameras[0]).toMatchObject({ playlistUrl: view.cameras[0].playlistUrl, snapshotUrl: withThumb.cameras[0].snapshotUrl });
    expect(thumbnailUrl('/a.jpg?v=x', 0)).toBe('/a.jpg?v=x');
    expect(thumbnailUrl('/a.jpg?v=x', 3)).toBe('/a.jpg?v=x&t=3');
    expect(thumbnailUrl('/a.jpg', 1)).toBe('/a.jpg?t=1');
  });
});

describe('随手拍 report form', () => {
  const categories = [{ key: 'fire', name: '消防隐患', nameEn: 'Fire hazard' }];
  it('names a category in the page language, the key for one it was not told about', () => {
    expect(categoryName(categories, 'fire', 'zh-CN')).toBe('消防隐患');
    expect(categoryName(categories, 'fire', 'en')).toBe('Fire hazard');
    expect(categoryName(categories, 'road', 'en')).toBe('road');
    expect(categoryName(undefined, 'road', 'zh-CN')).toBe('road');
  });
  it('wants a category, and words no longer than the limit', () => {
    expect(reportProblem({ category: '', note: '' }, 200)).toBe('category');
    expect(reportProblem({ category: 'fire', note: 'x'.repeat(201) }, 200)).toBe('note');
    expect(reportProblem({ category: 'fire', note: ` ${'x'.repeat(200)} ` }, 200)).toBeNull();
    expect(reportProblem({ category: 'fire', note: '' }, 200)).toBeNull();
  });
});
