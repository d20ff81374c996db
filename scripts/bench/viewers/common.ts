// Shared by the viewers bench's parent and its load generator.

/** Viewer i's own source address: 127.77.0.1 … 127.77.7.250 for 2,000; clear of the simulator's 127.0.x.y. Each
 * resident is a phone with its own address, and /api/share/open allows 30 opens a minute per address. */
export function viewerAddress(i: number): string {
  return `127.77.${Math.floor(i / 250)}.${1 + (i % 250)}`;
}

/** Stable per viewer index, so the 500 of one phase are the first 500 of the next (the same devices keep watching:
 * the link's viewer limit counts a device for 15 s after its last poll). */
export function deviceId(i: number): string {
  return `bench-viewer-${String(i).padStart(5, '0')}`;
}
