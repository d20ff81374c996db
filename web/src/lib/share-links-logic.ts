// Pure logic of the resident-links view: the create form → request body (checked against the server's own bounds,
// so most mistakes are caught before a round trip), server errors → form fields, and a link's status from its
// fields and the clock (the list is read now and then; expiry and daily windows move on their own). The bounds and
// the status rule are the server's, imported from server/domain/share-policy.ts, never restated here.
import type { NewShareLink, ShareLink } from '../../../server/contracts/share';
import {
  isHhmm, linkState, MAX_DEVICES_LIMIT, MAX_EXPIRY_DAYS, MAX_EXPIRY_HOURS, MAX_LABEL_LENGTH, MAX_LINK_CAMERAS, MIN_EXPIRY_HOURS,
} from '../../../server/domain/share-policy';
import type { MessageKey, Params } from '../i18n';

export const EXPIRY_PRESETS = { '1d': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type ExpiryChoice = keyof typeof EXPIRY_PRESETS | 'custom';

export interface ShareForm {
  orgUnitId: number | null;
  label: string;
  /** Ticked cameras. */
  cameraIds: readonly number[];
  /** The unit's public-area cameras as listed: what the server shares when cameraIds is left out. */
  publicCameraIds: readonly number[];
  /** Whether the camera list holds every camera of the unit (a huge unit may be cut at the list limit). */
  camerasComplete: boolean;
  expiry: ExpiryChoice;
  /** datetime-local value, the browser's local time; used when expiry is 'custom'. */
  customExpiry: string;
  /** HH:MM, China time; both empty for "all day". */
  windowStart: string;
  windowEnd: string;
  /** Empty for no limit. */
  maxDevices: string;
  /** Minutes of rewind residents may play (回看); 0: live only, the default. One of REWIND_CHOICES. */
  rewindMinutes: number;
}

export type FormField = 'orgUnitId' | 'cameraIds' | 'expiresInHours' | 'dailyWindow' | 'maxDevices' | 'rewindMinutes' | 'label';

/** A message for the operator: an i18n key (our own checks) or the server's text as sent. */
export type FieldMessage = { key: MessageKey; params?: Params } | { text: string };
export type FieldErrors = Partial<Record<FormField | 'form', FieldMessage>>;

export const emptyForm = (): ShareForm => ({
  orgUnitId: null,
  label: '',
  cameraIds: [],
  publicCameraIds: [],
  camerasComplete: true,
  expiry: '7d',
  customExpiry: '',
  windowStart: '',
  windowEnd: '',
  maxDevices: '',
  rewindMinutes: 0,
});

/** What the form offers for residents' rewind (the server takes any whole number up to MAX_REWIND_MINUTES). */
export const REWIND_CHOICES = [0, 5, 15, 30, 60] as const;

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** Hours from now until the chosen expiry, or an error. Custom datetimes are read in the browser's time zone. */
export function expiryHours(form: Pick<ShareForm, 'expiry' | 'customExpiry'>, now: Date): number | FieldMessage {
  if (form.expiry !== 'custom') return EXPIRY_PRESETS[form.expiry];
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(form.customExpiry);
  if (!m) return { key: 'shareLinks.errExpiry' };
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const hours = (at.getTime() - now.getTime()) / 3_600_000;
  if (!Number.isFinite(hours)) return { key: 'shareLinks.errExpiry' };
  if (hours < MIN_EXPIRY_HOURS) return { key: 'shareLinks.errExpiryPast' };
  if (hours > MAX_EXPIRY_HOURS) return { key: 'shareLinks.errExpiryFar', params: { days: MAX_EXPIRY_DAYS } };
  // Four decimals (a third of a second) keep the body readable; the server takes any number in range.
  return Math.max(MIN_EXPIRY_HOURS, Math.round(hours * 10_000) / 10_000);
}

export type BuildResult = { ok: true; body: NewShareLink } | { ok: false; errors: FieldErrors };

/** The create request for a filled form, or the errors to show at each field. */
export function buildShareRequest(form: ShareForm, now: Date): BuildResult {
  const errors: FieldErrors = {};
  const label = form.label.trim();
  if (form.orgUnitId === null) errors.orgUnitId = { key: 'shareLinks.errUnit' };
  if (!label) errors.label = { key: 'shareLinks.errLabel' };
  else if (label.length > MAX_LABEL_LENGTH) errors.label = { key: 'shareLinks.errLabelLong', params: { max: MAX_LABEL_LENGTH } };

  // The server's default is "every public-area camera of the unit": when that is the choice, leave the list out,
  // which also lets a unit with more than MAX_LINK_CAMERAS public cameras be shared whole.
  const isDefault = form.camerasComplete && form.publicCameraIds.length > 0 && sameSet(form.cameraIds, form.publicCameraIds);
  if (form.orgUnitId !== null) {
    if (form.cameraIds.length === 0) {
      errors.cameraIds = { key: form.publicCameraIds.length === 0 ? 'shareLinks.errNoPublic' : 'shareLinks.errCameras' };
    }
    else if (!isDefault && form.cameraIds.length > MAX_LINK_CAMERAS) errors.cameraIds = { key: 'shareLinks.errTooManyCameras', params: { max: MAX_LINK_CAMERAS } };
  }

  const hours = expiryHours(form, now);
  if (typeof hours !== 'number') errors.expiresInHours = hours;

  const start = form.windowStart.trim();
  const end = form.windowEnd.trim();
  if (start || end) {
    if (!start || !end) errors.dailyWindow = { key: 'shareLinks.errWindowBoth' };
    else if (!isHhmm(start) || !isHhmm(end)) errors.dailyWindow = { key: 'shareLinks.errWindowFormat' };
    else if (start === end) errors.dailyWindow = { key: 'shareLinks.errWindowEmpty' };
  }

  const devicesText = form.maxDevices.trim();
  const maxDevices = devicesText ? Number(devicesText) : undefined;
  if (maxDevices !== undefined && !(Number.isInteger(maxDevices) && maxDevices >= 1 && maxDevices <= MAX_DEVICES_LIMIT)) {
    errors.maxDevices = { key: 'shareLinks.errMaxDevices', params: { max: MAX_DEVICES_LIMIT } };
  }

  if (Object.keys(errors).length > 0 || form.orgUnitId === null || typeof hours !== 'number') return { ok: false, errors };
  return {
    ok: true,
    body: {
      orgUnitId: form.orgUnitId,
      label,
      ...(isDefault ? {} : { cameraIds: [...form.cameraIds] }),
      expiresInHours: hours,
      ...(start && end ? { dailyWindow: { start, end } } : {}),
      ...(maxDevices !== undefined ? { maxDevices } : {}),
      ...(form.rewindMinutes > 0 ? { rewindMinutes: form.rewindMinutes } : {}),
    },
  };
}

export interface ServerFieldError {
  field: FormField | 'form';
  /** For `cameraIds.N`: the camera the server refused (the N-th id of the body sent). */
  cameraId?: number;
}

/** Where a server 400/403/404 belongs on the form: its `field` ("cameraIds.3", "dailyWindow.start", …). */
export function placeServerError(field: string | undefined, sent: NewShareLink | undefined): ServerFieldError {
  if (!field) return { field: 'form' };
  const [head, index] = field.split('.');
  switch (head) {
    case 'cameraIds': {
      const cameraId = index !== undefined && sent?.cameraIds ? sent.cameraIds[Number(index)] : undefined;
      return cameraId === undefined ? { field: 'cameraIds' } : { field: 'cameraIds', cameraId };
    }
    case 'orgUnitId':
    case 'label':
    case 'expiresInHours':
    case 'dailyWindow':
    case 'maxDevices':
    case 'rewindMinutes':
      return { field: head };
    default:
      return { field: 'form' };
  }
}

// ---- Status of a link ------------------------------------------------------------------------------------

export type LinkStatus = ShareLink['state'];
export type StatusFilter = 'active' | 'all';

/** The server's rule (linkState) read from the API's shape of a link, at this moment. */
export function linkStatus(link: Pick<ShareLink, 'expiresAt' | 'revokedAt' | 'dailyWindow'>, now: Date): LinkStatus {
  const { expiresAt, revokedAt, dailyWindow } = link;
  return linkState({ expiresAt, revokedAt, windowStart: dailyWindow?.start ?? null, windowEnd: dailyWindow?.end ?? null }, now);
}

/** A link that can still be used (now or at its next window) counts as active; revoked and expired ones do not. */
export const isLive = (status: LinkStatus): boolean => status === 'active' || status === 'outside-window';

export function filterLinks<T extends Pick<ShareLink, 'expiresAt' | 'revokedAt' | 'dailyWindow'>>(links: readonly T[], filter: StatusFilter, now: Date): T[] {
  return filter === 'all' ? [...links] : links.filter((l) => isLive(linkStatus(l, now)));
}

/** The server's QR SVG as an image URL: shown through <img>, never parsed into the page as markup. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A unit's path for display: names from the root of the user's scope down, e.g. 东城街道 / 团结社区 / 东城小区. */
export const formatPath = (names: readonly string[]): string => names.join(' / ');
