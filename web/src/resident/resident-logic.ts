// Pure logic of the resident page (a share link opened on a phone): the token in the path, the device id kept in
// localStorage, the page's state machine and how an HTTP answer maps onto it. No React, no DOM: tested in node.
import type { Lang } from '../i18n';

export interface ResidentCamera {
  id: number;
  name: string;
  playlistUrl: string;
  /** JPEG of the camera now (same viewer token); absent from servers older than thumbnails. */
  snapshotUrl?: string;
  /** Only where the link allows rewind (回看): its VOD playlist, add from/to. */
  rewindUrl?: string;
}

/** What POST /api/share/open answers (server/contracts/share.ts ResidentView). */
export interface ResidentView {
  label: string;
  unitName: string;
  expiresAt: string;
  viewerToken: string;
  /** Minutes of rewind the link allows; 0 or absent (older servers): live only. */
  rewindMinutes?: number;
  cameras: ResidentCamera[];
  /** 随手拍: the categories a resident may report; absent from servers older than reports (no button then). */
  reportCategories?: ReportCategory[];
}

export interface ReportCategory {
  key: string;
  name: string;
  nameEn: string;
}

/** One of this phone's reports (server/contracts/share.ts ResidentReport): nothing but received / handled. */
export interface MyReport {
  id: number;
  cameraId: number;
  cameraName: string;
  category: string;
  createdAt: string;
  status: 'received' | 'handled';
}

/** A category's name in the page's language, the key itself for one the page was not told about. */
export function categoryName(categories: readonly ReportCategory[] | undefined, key: string, lang: Lang): string {
  const c = categories?.find((x) => x.key === key);
  return c ? (lang === 'en' ? c.nameEn : c.name) : key;
}

/** The report form's one local check before sending (the server checks everything again). */
export function reportProblem(form: { category: string; note: string }, maxNote: number): 'category' | 'note' | null {
  if (!form.category) return 'category';
  if (form.note.trim().length > maxNote) return 'note';
  return null;
}

/**
 * opening: the first POST /api/share/open is on its way.
 * ready: the link works; `rechecking` while a playback failure is being checked against the server.
 * invalid: unknown, expired or revoked link (401): nothing of the link stays on screen.
 * closed: 403, outside the daily window or the device limit: the server's message is shown.
 * busy: 429, too many viewers or rate limited: a retry button.
 * error: the server was not reached or failed (0/5xx): a retry button.
 */
export type PageState =
  | { kind: 'opening' }
  | { kind: 'ready'; view: ResidentView; rechecking: boolean }
  | { kind: 'invalid' }
  | { kind: 'closed'; message: string }
  | { kind: 'busy'; message: string; retryAfter?: number }
  | { kind: 'error'; status: number; message: string };

export type PageEvent =
  | { type: 'open' } // first open, or the retry button
  | { type: 'recheck' } // a player failed: ask the server whether the link still holds
  | { type: 'opened'; view: ResidentView }
  | { type: 'failed'; status: number; message?: string; retryAfter?: number };

export const initialState: PageState = { kind: 'opening' };

/** The state an unsuccessful POST /api/share/open leads to. */
export function stateForFailure(status: number, message = '', retryAfter?: number): PageState {
  if (status === 401 || status === 404) return { kind: 'invalid' };
  if (status === 403) return { kind: 'closed', message };
  if (status === 429) return retryAfter === undefined ? { kind: 'busy', message } : { kind: 'busy', message, retryAfter };
  return { kind: 'error', status, message };
}

export function reduce(state: PageState, event: PageEvent): PageState {
  switch (event.type) {
    case 'open':
      return state.kind === 'invalid' ? state : { kind: 'opening' };
    case 'recheck':
      return state.kind === 'ready' ? { ...state, rechecking: true } : state;
    case 'opened':
      // A link found invalid stays invalid: a late answer must not bring camera names back.
      if (state.kind === 'invalid') return state;
      return { kind: 'ready', view: state.kind === 'ready' ? mergeView(state.view, event.view) : event.view, rechecking: false };
    case 'failed': {
      const next = stateForFailure(event.status, event.message, event.retryAfter);
      // A recheck that could not reach the server, or was rate limited, keeps the page as it was: the player
      // retries on its own. Only an answer about the link itself (401, 403) takes the page away.
      if (state.kind === 'ready' && (next.kind === 'error' || next.kind === 'busy')) return { ...state, rechecking: false };
      return next;
    }
  }
}

/**
 * A recheck that found the link still valid keeps the playlist URLs already playing (a viewer token stays good as
 * long as its link does), so a player that is retrying on its own is not restarted; new or changed cameras take
 * the fresh URLs.
 */
export function mergeView(current: ResidentView, fresh: ResidentView): ResidentView {
  const kept = new Map(current.cameras.map((c) => [c.id, c]));
  const same = fresh.cameras.length === current.cameras.length && fresh.cameras.every((c) => kept.has(c.id));
  if (!same) return fresh;
  return {
    ...fresh,
    viewerToken: current.viewerToken,
    cameras: fresh.cameras.map((c) => {
      const old = kept.get(c.id)!;
      // Thumbnails keep their URL too, so a recheck does not reload every picture on the page.
      return old.snapshotUrl ? { ...c, playlistUrl: old.playlistUrl, snapshotUrl: old.snapshotUrl } : { ...c, playlistUrl: old.playlistUrl };
    }),
  };
}

/**
 * Whether a player's state says the link may have ended: hls.js gave up (offline, a final 4xx such as 401), or a
 * player is retrying after an error (Safari's native HLS never gives up, it retries).
 */
export function playerSuggestsRecheck(player: { phase: string; reason?: { key: string } }): boolean {
  if (player.phase === 'offline') return true;
  return player.phase === 'connecting' && !!player.reason && player.reason.key !== 'player.relayBusy';
}

/** Whether the page may show anything of the link (label, unit, cameras). */
export const showsLink = (state: PageState): state is Extract<PageState, { kind: 'ready' }> => state.kind === 'ready';

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The share token from a path such as /r/<token> (a trailing slash tolerated); null when there is none. */
export function tokenFromPath(pathname: string): string | null {
  const match = /^\/r\/([^/?#]+)\/?$/.exec(pathname);
  if (!match) return null;
  let token: string;
  try {
    token = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return TOKEN.test(token) ? token : null;
}

export const DEVICE_KEY = 'resident.device';

/** The device id this browser keeps for share links: created once with randomUUID, reused after. */
export function deviceId(storage: Pick<Storage, 'getItem' | 'setItem'> | undefined, randomUUID: () => string): string {
  try {
    const stored = storage?.getItem(DEVICE_KEY);
    if (stored && stored.length >= 8 && stored.length <= 200) return stored;
  } catch {
    /* storage blocked: a fresh id per page load */
  }
  const id = randomUUID();
  try {
    storage?.setItem(DEVICE_KEY, id);
  } catch {
    /* not persisted */
  }
  return id;
}

/**
 * The server writes resident messages in both languages, "中文 / English": the part for the page's language.
 * A message without the separator is returned whole.
 */
export function localMessage(message: string, lang: Lang): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  const zh = message.slice(0, at).trim();
  const en = message.slice(at + 3).trim();
  return (lang === 'en' ? en : zh) || message;
}

/** The expiry in China time, as a resident reads it: "11月23日 15:30" / "Nov 23, 15:30". */
export function formatExpiry(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
}

/**
 * A failing player asks for a recheck at most this often, so a camera that is simply down cannot loop opens: the
 * interval doubles with every recheck that found the link still valid (`streak`), up to a minute, and starts over
 * once a player goes live.
 */
export const RECHECK_MIN_INTERVAL_MS = 5_000;
export const RECHECK_MAX_INTERVAL_MS = 60_000;

export const recheckInterval = (streak: number): number =>
  Math.min(RECHECK_MAX_INTERVAL_MS, RECHECK_MIN_INTERVAL_MS * 2 ** Math.max(0, Math.min(streak, 10)));

export function mayRecheck(lastAt: number | null, now: number, streak = 0): boolean {
  return lastAt === null || now - lastAt >= recheckInterval(streak);
}

/** setTimeout's limit (about 24.8 days): an expiry further away than that is not scheduled. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Milliseconds until the page should ask the server again because the link expires (a second after), or null. */
export function expiryCheckDelay(expiresAt: string, now: number): number | null {
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  const delay = Math.max(0, at - now + 1_000);
  return delay > MAX_TIMER_MS ? null : delay;
}

/** The camera to keep playing after the view was refreshed: the same one if the link still holds it. */
export function keepPlaying(playing: number | null, view: ResidentView): number | null {
  return playing !== null && view.cameras.some((c) => c.id === playing) ? playing : null;
}

/** Thumbnails are refreshed this often while on screen (the server caches a snapshot for 10 s). */
export const THUMB_REFRESH_MS = 30_000;

/** The snapshot URL for the n-th refresh: a counter in the query, so the browser's image cache (which keeps an
 * image per URL for the page's life, whatever its Cache-Control) does not answer with the old picture. */
export function thumbnailUrl(snapshotUrl: string, refresh: number): string {
  if (refresh <= 0) return snapshotUrl;
  return `${snapshotUrl}${snapshotUrl.includes('?') ? '&' : '?'}t=${refresh}`;
}
