// Pure decisions for the live player: codec support and what to do on a fatal hls.js error.
// Kept free of hls.js and the DOM so it is unit-tested in node.
import type { MessageKey } from '../../i18n';

/** What Chrome/Edge/Safari answer for a common Main-profile HEVC stream. */
export const HEVC_PROBE = 'video/mp4; codecs="hvc1.1.6.L93.B0"';

export function isHevc(codec: string | null | undefined): boolean {
  return !!codec && codec.split(',').some((c) => /^\s*(hvc1|hev1)(\.|$)/i.test(c));
}

/**
 * True when the stream carries HEVC that this browser cannot decode: the tile then says so
 * instead of staying black. Either the exact codec or the generic probe being supported is enough.
 */
export function hevcBlocked(codecs: ReadonlyArray<string | null | undefined>, isTypeSupported: ((type: string) => boolean) | null): boolean {
  const hevc = codecs.flatMap((c) => (c ? c.split(',') : [])).map((c) => c.trim()).filter((c) => isHevc(c));
  if (hevc.length === 0) return false;
  if (!isTypeSupported) return true;
  if (isTypeSupported(HEVC_PROBE)) return false;
  return !hevc.some((c) => isTypeSupported(`video/mp4; codecs="${c}"`));
}

/**
 * A live playlist URL with what this browser decodes (?hevc=1|0): for ?hevc=0 the server answers an H.265 camera
 * with an H.264 transcode (response header x-live-path). Playback (VOD) URLs are left alone.
 */
export function withHevcCapability(src: string, decodesHevc: boolean): string {
  if (!/^\/live\/\d+\/(?:sub\/)?index\.m3u8(?:\?|$)/.test(src)) return src;
  return `${src}${src.includes('?') ? '&' : '?'}hevc=${decodesHevc ? 1 : 0}`;
}

/** How an H.265 camera reaches the picture: decoded by the browser as sent, or an H.264 transcode from the server.
 * (In-page WebAssembly decoding was measured and not chosen: server/media/README.md.) */
export type PlayPath = 'native' | 'transcoded';

/** The path to show for a tile, or null when there is nothing to say (an H.264 camera plays as sent). */
export function playPath(header: string | null | undefined, videoCodec: string | null | undefined): PlayPath | null {
  if (header === 'transcoded') return 'transcoded';
  return isHevc(videoCodec) ? 'native' : null;
}

export interface Reason {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface FatalError {
  type: string; // hls.js ErrorTypes value: networkError | mediaError | muxError | keySystemError | otherError
  details: string; // hls.js ErrorDetails value
  httpStatus?: number;
  /** ErrorBody.message from a JSON 4xx, when the response was readable. */
  serverMessage?: string;
}

export type Recovery =
  | { kind: 'reload'; delayMs: number; manifest: boolean; reason: Reason }
  | { kind: 'recover-media' }
  | { kind: 'fail'; reason: Reason };

export const retryDelay = (attempt: number): number => Math.min(15_000, 2_000 * 2 ** Math.max(0, attempt));

/**
 * Recovery policy: network errors retry with capped backoff (a live camera usually comes back);
 * 503 means the relay cap is reached, so retry more patiently; other 4xx are final (forbidden, unknown camera);
 * media errors get a couple of recoverMediaError() attempts; anything else is final with its reason.
 */
export function recoveryFor(error: FatalError, attempt: number, mediaRecoveries: number): Recovery {
  if (error.type === 'networkError') {
    const manifest = error.details.startsWith('manifest');
    const status = error.httpStatus ?? 0;
    if (status === 503) {
      const delayMs = Math.max(5_000, retryDelay(attempt));
      return { kind: 'reload', delayMs, manifest, reason: { key: 'player.relayBusy' } };
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return { kind: 'fail', reason: { key: 'player.loadError', params: { detail: error.serverMessage || `HTTP ${status}` } } };
    }
    const delayMs = retryDelay(attempt);
    const seconds = Math.round(delayMs / 1000);
    const reason: Reason = error.serverMessage
      ? { key: 'player.retryingDetail', params: { detail: error.serverMessage, seconds } }
      : { key: 'player.retrying', params: { seconds } };
    return { kind: 'reload', delayMs, manifest, reason };
  }
  if (error.type === 'mediaError' && mediaRecoveries < 2) return { kind: 'recover-media' };
  if (error.type === 'mediaError') return { kind: 'fail', reason: { key: 'player.mediaError', params: { detail: error.details } } };
  return { kind: 'fail', reason: { key: 'player.loadError', params: { detail: error.details } } };
}

/** ErrorBody.message from a response text, if it is one. */
export function errorBodyMessage(text: string | null | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body?.message === 'string' && body.message ? body.message : undefined;
  } catch {
    return undefined;
  }
}
