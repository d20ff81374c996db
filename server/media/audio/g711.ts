// G.711 (ITU-T G.711) A-law and µ-law → 16-bit linear PCM, by table: one byte in, one sample out. Most Chinese
// cameras send their microphone as PCMA/PCMU (RTP payload types 8/0, 8 kHz mono), which no browser plays from HLS;
// decoded here it is re-carried losslessly as FLAC in CMAF (see flac.ts and server/media/README.md "G.711").

function alawToLinear(a: number): number {
  a ^= 0x55;
  const exponent = (a >> 4) & 7;
  let t = (a & 0x0f) << 4;
  t += exponent === 0 ? 8 : 0x108;
  if (exponent > 1) t <<= exponent - 1;
  return a & 0x80 ? t : -t;
}

function ulawToLinear(u: number): number {
  u = ~u & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

const table = (f: (b: number) => number): Int16Array => Int16Array.from({ length: 256 }, (_, i) => f(i));
/** Built once per thread: 512 bytes each. */
export const ALAW_TABLE = table(alawToLinear);
export const ULAW_TABLE = table(ulawToLinear);

export type G711Law = 'pcma' | 'pcmu';

/** Decode `src` into `dst` (at least src.length samples); returns the sample count. */
export function decodeG711(law: G711Law, src: Uint8Array, dst: Int16Array): number {
  const t = law === 'pcma' ? ALAW_TABLE : ULAW_TABLE;
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i]!]!;
  return src.length;
}
