// Framework-free HTTP helpers for serving live HLS from RelayManager. The routes add auth/audit; these only
// decide content types, cache lifetimes and which names are acceptable.
import { CONTENT_TYPES } from './hls/packager';

export const PLAYLIST_CONTENT_TYPE = CONTENT_TYPES['.m3u8']!;

/** Segment and init names the packager produces (s<epoch>-<n>.ts|.m4s, init-<epoch>.mp4); anything else is a 404
 * before touching the relay, which also rules out path tricks. */
export const SEGMENT_NAME = /^(?:s\d+-\d+\.(?:ts|m4s)|init-\d+\.mp4)$/;

export function isSegmentName(name: string): boolean {
  return SEGMENT_NAME.test(name);
}

/** Live playlists change every segment: no caching anywhere. */
export function playlistHeaders(): Record<string, string> {
  return { 'content-type': PLAYLIST_CONTENT_TYPE, 'cache-control': 'no-cache, no-store' };
}

/** Segment names are never reused within a relay, so a segment is immutable while it exists. Private because
 * access is per user (org scope); short because it leaves the live window within seconds. */
export function segmentHeaders(contentType: string, byteLength: number): Record<string, string> {
  return { 'content-type': contentType, 'content-length': String(byteLength), 'cache-control': 'private, max-age=60, immutable' };
}
