// Formatting of the per-tile technical line: codec, resolution, bitrate and latency behind the live edge.

/** A readable codec name from an RFC 6381 string (avc1.64001f → H.264). */
export function codecName(codec: string | null | undefined): string | null {
  if (!codec) return null;
  const c = codec.trim().toLowerCase();
  if (/^(avc1|avc3)/.test(c) || c === 'h264') return 'H.264';
  if (/^(hvc1|hev1)/.test(c) || c === 'h265' || c === 'hevc') return 'H.265';
  if (c.startsWith('mp4a')) return 'AAC';
  return codec;
}

export function formatBitrate(bps: number | null | undefined): string | null {
  if (!bps || !Number.isFinite(bps) || bps <= 0) return null;
  if (bps >= 1e6) return `${(bps / 1e6).toFixed(1)} Mb/s`;
  return `${Math.round(bps / 1e3)} kb/s`;
}

/**
 * Seconds behind the live edge. hls.js reports `latency` once it knows the playlist's program time; before that
 * (or with native HLS) the distance from the end of the seekable range is the best figure.
 */
export function liveLatency(hlsLatency: number | null | undefined, seekableEnd: number | null, currentTime: number): number | null {
  if (typeof hlsLatency === 'number' && Number.isFinite(hlsLatency) && hlsLatency > 0) return hlsLatency;
  if (seekableEnd === null || !Number.isFinite(seekableEnd) || seekableEnd <= 0) return null;
  return Math.max(0, seekableEnd - currentTime);
}

export const formatLatency = (sec: number | null): string | null => (sec === null ? null : `${sec.toFixed(1)} s`);

/** "H.264 · 1280×720 · 25 fps": the parts that are known, in that order. */
export function techLine(info: { codec?: string | null; width?: number | null; height?: number | null; fps?: number | null }): string {
  const parts = [codecName(info.codec), info.width && info.height ? `${info.width}×${info.height}` : null, info.fps ? `${Math.round(info.fps)} fps` : null];
  return parts.filter(Boolean).join(' · ');
}
