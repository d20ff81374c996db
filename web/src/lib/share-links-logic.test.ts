import { describe, expect, it } from 'vitest';
import { MAX_DEVICES_LIMIT, MAX_EXPIRY_DAYS, MAX_LABEL_LENGTH, MAX_LINK_CAMERAS } from '../../../server/domain/share-policy';
import {
  buildShareRequest, emptyForm, expiryHours, filterLinks, linkStatus, placeServerError, svgDataUrl, type ShareForm,
} from './share-links-logic';

const NOW = new Date('2026-11-23T04:00:00Z'); // 12:00 China time
const PUBLIC = [11, 12, 13];

const filled = (patch: Partial<ShareForm> = {}): ShareForm => ({
  ...emptyForm(),
  orgUnitId: 31,
  label: '  东城小区业主群 ',
  cameraIds: PUBLIC,
  publicCameraIds: PUBLIC,
  ...patch,
});

describe('create form → request body', () => {
  it('leaves the cameras out when they are the unit\'s public-area default, and trims the label', () => {
    expect(buildShareRequest(filled(), NOW)).toEqual({ ok: true, body: { orgUnitId: 31, label: '东城小区业主群', expiresInHours: 168 } });
    // Same set, another order: still the default.
    expect(buildShareRequest(filled({ cameraIds: [13, 11, 12] }), NOW)).toMatchObject({ ok: true, body: { expiresInHours: 168 } });
    expect((buildShareRequest(filled({ cameraIds: [13, 11, 12] }), NOW) as { body: object }).body).not.toHaveProperty('cameraIds');
  });

  it('sends the chosen cameras when they differ from the default, or when the list was cut', () => {
    expect(buildShareRequest(filled({ cameraIds: [11, 13] }), NOW)).toMatchObject({ ok: true, body: { cameraIds: [11, 13] } });
    // A non-public camera is sent as chosen: the server is the one that refuses it (and names it).
    expect(buildShareRequest(filled({ cameraIds: [11, 12, 13, 99] }), NOW)).toMatchObject({ ok: true, body: { cameraIds: [11, 12, 13, 99] } });
    expect(buildShareRequest(filled({ camerasComplete: false }), NOW)).toMatchObject({ ok: true, body: { cameraIds: PUBLIC } });
  });

  it('allows more than MAX_LINK_CAMERAS cameras only as the default', () => {
    const many = Array.from({ length: MAX_LINK_CAMERAS + 50 }, (_, i) => i + 1);
    expect(buildShareRequest(filled({ cameraIds: many, publicCameraIds: many }), NOW)).toMatchObject({ ok: true });
    const picked = buildShareRequest(filled({ cameraIds: many.slice(0, MAX_LINK_CAMERAS + 1), publicCameraIds: many }), NOW);
    expect(picked).toEqual({ ok: false, errors: { cameraIds: { key: 'shareLinks.errTooManyCameras', params: { max: MAX_LINK_CAMERAS } } } });
  });

  it('turns the presets and a custom local datetime into hours', () => {
    expect(expiryHours({ expiry: '1d', customExpiry: '' }, NOW)).toBe(24);
    expect(expiryHours({ expiry: '30d', customExpiry: '' }, NOW)).toBe(720);
    const local = new Date(NOW.getTime() + 36 * 3600_000 + 30 * 60_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const input = `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}T${pad(local.getHours())}:${pad(local.getMinutes())}`;
    expect(expiryHours({ expiry: 'custom', customExpiry: input }, NOW)).toBe(36.5);
    expect(buildShareRequest(filled({ expiry: 'custom', customExpiry: input }), NOW)).toMatchObject({ ok: true, body: { expiresInHours: 36.5 } });
  });

  it('refuses an empty, past or too distant custom expiry', () => {
    expect(expiryHours({ expiry: 'custom', customExpiry: '' }, NOW)).toEqual({ key: 'shareLinks.errExpiry' });
    expect(expiryHours({ expiry: 'custom', customExpiry: '2026-11-01T08:00' }, NOW)).toEqual({ key: 'shareLinks.errExpiryPast' });
    expect(expiryHours({ expiry: 'custom', customExpiry: '2028-01-01T08:00' }, NOW)).toEqual({ key: 'shareLinks.errExpiryFar', params: { days: MAX_EXPIRY_DAYS } });
  });

  it('adds the daily window and the device limit only when given', () => {
    const body = buildShareRequest(filled({ windowStart: '22:00', windowEnd: '06:00', maxDevices: ' 50 ' }), NOW);
    expect(body).toMatchObject({ ok: true, body: { dailyWindow: { start: '22:00', end: '06:00' }, maxDevices: 50 } });
  });

  it('names every field that is wrong before any request', () => {
    const result = buildShareRequest(
      { ...emptyForm(), label: ' ', expiry: 'custom', customExpiry: '', windowStart: '08:00', maxDevices: '2.5' },
      NOW,
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        orgUnitId: { key: 'shareLinks.errUnit' },
        label: { key: 'shareLinks.errLabel' },
        expiresInHours: { key: 'shareLinks.errExpiry' },
        dailyWindow: { key: 'shareLinks.errWindowBoth' },
        maxDevices: { key: 'shareLinks.errMaxDevices', params: { max: MAX_DEVICES_LIMIT } },
      },
    });
    expect(buildShareRequest(filled({ cameraIds: [] }), NOW)).toEqual({ ok: false, errors: { cameraIds: { key: 'shareLinks.errCameras' } } });
    // A unit without public-area cameras has nothing to share: say that rather than "choose one".
    expect(buildShareRequest(filled({ cameraIds: [], publicCameraIds: [] }), NOW)).toEqual({ ok: false, errors: { cameraIds: { key: 'shareLinks.errNoPublic' } } });
    expect(buildShareRequest(filled({ windowStart: '08:00', windowEnd: '08:00' }), NOW)).toMatchObject({ errors: { dailyWindow: { key: 'shareLinks.errWindowEmpty' } } });
    expect(buildShareRequest(filled({ windowStart: '8:00', windowEnd: '18:00' }), NOW)).toMatchObject({ errors: { dailyWindow: { key: 'shareLinks.errWindowFormat' } } });
    expect(buildShareRequest(filled({ label: 'x'.repeat(MAX_LABEL_LENGTH + 1) }), NOW)).toMatchObject({ errors: { label: { key: 'shareLinks.errLabelLong' } } });
    expect(buildShareRequest(filled({ maxDevices: '0' }), NOW)).toMatchObject({ ok: false });
  });
});

describe('server errors → form fields', () => {
  const sent = { orgUnitId: 31, label: 'x', expiresInHours: 24, cameraIds: [11, 12, 99] };

  it('puts a refused camera on the camera it names', () => {
    expect(placeServerError('cameraIds.2', sent)).toEqual({ field: 'cameraIds', cameraId: 99 });
    expect(placeServerError('cameraIds', sent)).toEqual({ field: 'cameraIds' });
    expect(placeServerError('cameraIds.7', sent)).toEqual({ field: 'cameraIds' });
  });

  it('maps the other fields, nested ones by their head, and anything else to the form', () => {
    expect(placeServerError('orgUnitId', sent)).toEqual({ field: 'orgUnitId' });
    expect(placeServerError('dailyWindow.start', sent)).toEqual({ field: 'dailyWindow' });
    expect(placeServerError('maxDevices', sent)).toEqual({ field: 'maxDevices' });
    expect(placeServerError('expiresInHours', sent)).toEqual({ field: 'expiresInHours' });
    expect(placeServerError('label', sent)).toEqual({ field: 'label' });
    expect(placeServerError('maxViewers', sent)).toEqual({ field: 'form' });
    expect(placeServerError(undefined, sent)).toEqual({ field: 'form' });
  });
});

// The rule itself is the server's (test/domain/share-policy.test.ts); here: that the API's shape reaches it.
describe('status of a link from its fields and the clock', () => {
  const link = { expiresAt: '2026-11-24T04:00:00.000Z', revokedAt: null, dailyWindow: null };

  it('reads the daily window and the revocation from the API\'s shape of a link', () => {
    expect(linkStatus(link, NOW)).toBe('active');
    // 12:00 China time: outside 20:00–21:00, inside the wrapping 11:00–02:00.
    expect(linkStatus({ ...link, dailyWindow: { start: '20:00', end: '21:00' } }, NOW)).toBe('outside-window');
    expect(linkStatus({ ...link, dailyWindow: { start: '11:00', end: '02:00' } }, NOW)).toBe('active');
    expect(linkStatus({ ...link, revokedAt: '2026-11-23T03:00:00.000Z' }, NOW)).toBe('revoked');
    expect(linkStatus(link, new Date('2026-11-24T04:00:00.000Z'))).toBe('expired');
  });

  it('filters active links: usable now or at their next window', () => {
    const links = [
      { id: 1, ...link },
      { id: 2, ...link, revokedAt: '2026-11-23T03:00:00.000Z' },
      { id: 3, ...link, expiresAt: '2026-11-23T03:59:00.000Z' },
      { id: 4, ...link, dailyWindow: { start: '20:00', end: '21:00' } },
    ];
    expect(filterLinks(links, 'active', NOW).map((l) => l.id)).toEqual([1, 4]);
    expect(filterLinks(links, 'all', NOW).map((l) => l.id)).toEqual([1, 2, 3, 4]);
  });
});

describe('QR image', () => {
  it('carries the SVG as an encoded data URL, never as markup', () => {
    const url = svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"]/);
    expect(decodeURIComponent(url.split(',')[1])).toContain('<path d="M0 0h1"/>');
  });
});
