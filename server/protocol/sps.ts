// Picture size from an H.264 or H.265 sequence parameter set (ITU-T H.264 §7.3.2.1.1 and §7.4.2.1.1 for the
// cropping units, H.265 §7.3.2.2 and its conformance window), as the probe reads it from the SDP
// (sprop-parameter-sets / sprop-sps) and the relay from the stream. Only what the size needs is decoded; the rest is
// skipped field by field. Null on anything truncated, out of range, or not an SPS at all.
import { BitReader, unescapeRbsp } from './rbsp';

export interface PictureSize {
  width: number;
  height: number;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
/** Baseline, Main, Extended and the High family: any other profile_idc means the bytes are not an SPS at all. */
const KNOWN_PROFILES = new Set([66, 77, 88, ...HIGH_PROFILES]);
const H264_SPS = 7;
const H265_SPS = 33;

export function h264PictureSize(nal: Uint8Array): PictureSize | null {
  try {
    // Random bytes in sprop-parameter-sets decoded into a plausible size (1726x20) before these checks: a probe
    // must say "size unknown" rather than invent one (test/security/malformed-devices.test.ts, absurd fmtp).
    if (((nal[0] ?? 0) & 0x1f) !== H264_SPS) return null;
    const r = new BitReader(unescapeRbsp(nal));
    r.skip(8); // NAL header
    const profile = r.u(8);
    if (!KNOWN_PROFILES.has(profile)) return null;
    r.skip(16); // constraint flags, level
    r.ue(); // seq_parameter_set_id
    let chroma = 1;
    let separatePlanes = 0;
    if (HIGH_PROFILES.has(profile)) {
      chroma = r.ue();
      if (chroma > 3) return null;
      if (chroma === 3) separatePlanes = r.u(1);
      r.ue(); // bit_depth_luma_minus8
      r.ue(); // bit_depth_chroma_minus8
      r.skip(1); // qpprime_y_zero_transform_bypass
      if (r.u(1)) skipScalingLists(r, chroma !== 3 ? 8 : 12);
    }
    r.ue(); // log2_max_frame_num_minus4
    const pocType = r.ue();
    if (pocType === 0) r.ue();
    else if (pocType === 1) {
      r.skip(1);
      r.se();
      r.se();
      const n = r.ue();
      for (let i = 0; i < n; i++) r.se();
    }
    r.ue(); // max_num_ref_frames
    r.skip(1); // gaps_in_frame_num_allowed
    const widthMbs = r.ue() + 1;
    const heightMapUnits = r.ue() + 1;
    const frameMbsOnly = r.u(1);
    if (!frameMbsOnly) r.skip(1);
    r.skip(1); // direct_8x8_inference
    let [left, right, top, bottom] = [0, 0, 0, 0];
    if (r.u(1)) [left, right, top, bottom] = [r.ue(), r.ue(), r.ue(), r.ue()];
    // CropUnitX/Y (§7.4.2.1.1): 1 and 2 - frame_mbs_only without chroma (ChromaArrayType 0), else SubWidthC and
    // SubHeightC times that; 4:2:2 halves the width only (node-media-server's reader halved the height too).
    const monochrome = chroma === 0 || separatePlanes === 1;
    const cropX = monochrome || chroma === 3 ? 1 : 2;
    const cropY = (monochrome || chroma !== 1 ? 1 : 2) * (2 - frameMbsOnly);
    const width = widthMbs * 16 - (left + right) * cropX;
    const height = (2 - frameMbsOnly) * heightMapUnits * 16 - (top + bottom) * cropY;
    return sane(width, height);
  } catch {
    return null;
  }
}

function skipScalingLists(r: BitReader, count: number): void {
  for (let i = 0; i < count; i++) {
    if (!r.u(1)) continue;
    const size = i < 6 ? 16 : 64;
    let last = 8;
    let next = 8;
    for (let j = 0; j < size && next !== 0; j++) {
      next = (last + r.se() + 256) % 256;
      last = next === 0 ? last : next;
    }
  }
}

export function h265PictureSize(nal: Uint8Array): PictureSize | null {
  try {
    if ((((nal[0] ?? 0) >> 1) & 0x3f) !== H265_SPS) return null;
    const r = new BitReader(unescapeRbsp(nal));
    r.skip(16); // NAL header
    r.skip(4); // sps_video_parameter_set_id
    const maxSubLayersMinus1 = r.u(3);
    r.skip(1); // temporal_id_nesting
    // profile_tier_level(1, maxSubLayersMinus1)
    r.skip(88); // general profile space/tier/idc, compatibility flags, constraint flags
    r.skip(8); // general_level_idc
    const subProfile: number[] = [];
    const subLevel: number[] = [];
    for (let i = 0; i < maxSubLayersMinus1; i++) {
      subProfile.push(r.u(1));
      subLevel.push(r.u(1));
    }
    if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) r.skip(2);
    for (let i = 0; i < maxSubLayersMinus1; i++) {
      if (subProfile[i]) r.skip(88);
      if (subLevel[i]) r.skip(8);
    }
    r.ue(); // sps_seq_parameter_set_id
    const chroma = r.ue();
    if (chroma > 3) return null;
    let separatePlanes = 0;
    if (chroma === 3) separatePlanes = r.u(1);
    let width = r.ue();
    let height = r.ue();
    if (r.u(1)) {
      const [left, right, top, bottom] = [r.ue(), r.ue(), r.ue(), r.ue()];
      const cf = separatePlanes ? 0 : chroma;
      const subW = cf === 1 || cf === 2 ? 2 : 1;
      const subH = cf === 1 ? 2 : 1;
      width -= subW * (left + right);
      height -= subH * (top + bottom);
    }
    return sane(width, height);
  } catch {
    return null;
  }
}

function sane(width: number, height: number): PictureSize | null {
  return width > 0 && height > 0 && width <= 16384 && height <= 16384 ? { width, height } : null;
}
