// Residents' playlists carry their viewer token on every URI (segments, LL-HLS parts and CMAF init), so each segment request
// can be checked on its own and a copied segment URL dies with the link.

export function withViewerToken(playlist: string, token: string): string {
  const query = `v=${encodeURIComponent(token)}`;
  return playlist
    .split('\n')
    .map((line) => {
      if (line.startsWith('#EXT-X-MAP:') || line.startsWith('#EXT-X-PART:')) return line.replace(/URI="([^"]+)"/, (_m, uri: string) => `URI="${uri}?${query}"`);
      if (line && !line.startsWith('#')) return `${line}?${query}`;
      return line;
    })
    .join('\n');
}
