// Annex-B helpers for H.264 and H.265: just enough to split a stream into NAL units and tell their types.

export type VideoCodec = 'H264' | 'H265';

/** Splits an Annex-B byte stream at 00 00 01 / 00 00 00 01 start codes; returned NAL units have no start code. */
export function splitAnnexB(data: Buffer): Buffer[] {
  const nals: Buffer[] = [];
  let start = -1;
  let i = 0;
  const n = data.length;
  while (i + 2 < n) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      if (start >= 0) nals.push(trimTrailingZeros(data.subarray(start, i)));
      i += 3;
      start = i;
    } else {
      i++;
    }
  }
  if (start >= 0 && start < n) nals.push(trimTrailingZeros(data.subarray(start, n)));
  return nals.filter((b) => b.length > 0);
}

// The zero before a 4-byte start code belongs to the start code, not to the previous NAL unit.
function trimTrailingZeros(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

export function nalType(codec: VideoCodec, nal: Buffer): number {
  return codec === 'H264' ? nal[0] & 0x1f : (nal[0] >> 1) & 0x3f;
}

export const H264 = { SLICE: 1, IDR: 5, SEI: 6, SPS: 7, PPS: 8, AUD: 9, FU_A: 28 } as const;
export const H265 = { IDR_W_RADL: 19, IDR_N_LP: 20, CRA: 21, VPS: 32, SPS: 33, PPS: 34, AUD: 35, FU: 49 } as const;

export function isAud(codec: VideoCodec, nal: Buffer): boolean {
  return nalType(codec, nal) === (codec === 'H264' ? H264.AUD : H265.AUD);
}

export function isParameterSet(codec: VideoCodec, nal: Buffer): boolean {
  const t = nalType(codec, nal);
  return codec === 'H264' ? t === H264.SPS || t === H264.PPS : t >= H265.VPS && t <= H265.PPS;
}

export function isKeyframeNal(codec: VideoCodec, nal: Buffer): boolean {
  const t = nalType(codec, nal);
  return codec === 'H264' ? t === H264.IDR : t >= 16 && t <= 21; // IRAP range (BLA/IDR/CRA)
}

/** Slice data (as opposed to parameter sets, SEI, AUD...). */
export function isVcl(codec: VideoCodec, nal: Buffer): boolean {
  const t = nalType(codec, nal);
  return codec === 'H264' ? t >= 1 && t <= 5 : t <= 31;
}
