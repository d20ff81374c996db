// The names of what the packager serves, in one place: media segments `s<epoch>-<n>.ts` (MPEG-TS) or `.m4s` (CMAF),
// LL-HLS partial segments `p<epoch>-<n>.ts` (MPEG-TS only; a segment made of parts takes its first part's n), and a
// CMAF epoch's init segment `init-<epoch>.mp4`. Audio is muxed into the video segments (no `.aac`), playlists
// are served by their own route. Dependency-free, so the route contract (server/contracts/api.ts) takes its pattern
// from here: a name the packager cannot produce is refused (400) before the relay is asked.

export type SegmentExtension = '.ts' | '.m4s';

export const segmentName = (epoch: number, n: number, ext: SegmentExtension): string => `s${epoch}-${n}${ext}`;
export const partName = (epoch: number, n: number): string => `p${epoch}-${n}.ts`;
export const initName = (epoch: number): string => `init-${epoch}.mp4`;

/** The epoch a media segment belongs to (undefined for anything else). */
export function epochOfSegment(name: string): number | undefined {
  const m = /^s(\d+)-\d+\.(?:ts|m4s)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** An H.264 transcode's segments (server/media/transcode): `t<run>-<n>.ts`, named by ffmpeg's HLS muxer. */
export const isTranscodeSegment = (name: string): boolean => /^t\d+-\d+\.ts$/.test(name);

/** Exactly the names above (epoch and sequence numbers of up to 10 digits), for JSON Schema `pattern`. */
export const SEGMENT_NAME_PATTERN = '^(?:s\\d{1,10}-\\d{1,10}\\.(?:ts|m4s)|t\\d{1,10}-\\d{1,10}\\.ts|p\\d{1,10}-\\d{1,10}\\.ts|init-\\d{1,10}\\.mp4)$';
