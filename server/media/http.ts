// Framework-free HTTP helpers for serving live HLS from RelayManager. The routes add auth/audit; these only
// decide content types and cache lifetimes. Which segment names exist: hls/segment-names.ts (the route's pattern).
import { CONTENT_TYPES } from './hls/packager';

export const PLAYLIST_CONTENT_TYPE = CONTENT_TYPES['.m3u8']!;

/** Live playlists change every segment: no caching anywhere. */
export function playlistHeaders(): Record<string, string> {
  return { 'content-type': PLAYLIST_CONTENT_TYPE, 'cache-control': 'no-cache, no-store' };
}

/** Segment names are never reused within a relay, so a segment is immutable while it exists. Private because
 * access is per user (org scope); short because it leaves the live window within seconds. */
export function segmentHeaders(contentType: string, byteLength: number): Record<string, string> {
  return { 'content-type': contentType, 'content-length': String(byteLength), 'cache-control': 'private, max-age=60, immutable' };
}
