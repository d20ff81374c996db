// A minimal FLAC encoder for 16-bit PCM: VERBATIM subframes (no prediction), one frame per block, variable block
// size (each frame carries its first sample's number). Lossless and table-free, so it costs about a copy: the point is
// a container codec that Chromium's MSE plays in fMP4 (audio/mp4; codecs="flac"), which PCM is not. go2rtc carries
// camera G.711 to browsers the same way. Verbatim doubles G.711's 64 kb/s to 128 kb/s per 8 kHz mono channel — small
// next to the video. Format: https://xiph.org/flac/format.html (RFC 9639).

/** FLAC allows 16..65535 samples per block; a larger RTP packet is split. */
export const FLAC_MAX_BLOCK = 4096;
const MIN_BLOCK = 16;

/** The WebCodecs/ISOBMFF decoder description: 'fLaC', a last-metadata-block header and the 34-byte STREAMINFO. */
export function flacDescription(sampleRate: number, channels: number): Uint8Array {
  const out = new Uint8Array(4 + 4 + 34);
  out.set([0x66, 0x4c, 0x61, 0x43], 0); // 'fLaC'
  out.set([0x80, 0, 0, 34], 4); // last block, type 0 (STREAMINFO), length 34
  const v = new DataView(out.buffer, 8);
  v.setUint16(0, MIN_BLOCK);
  v.setUint16(2, FLAC_MAX_BLOCK);
  // min/max frame size (24 bits each) unknown: 0. Then 20 bits rate, 3 bits channels-1, 5 bits bps-1, 36 bits total.
  const bps = 16;
  v.setUint8(10, (sampleRate >> 12) & 0xff);
  v.setUint8(11, (sampleRate >> 4) & 0xff);
  v.setUint8(12, ((sampleRate & 0x0f) << 4) | (((channels - 1) & 7) << 1) | (((bps - 1) >> 4) & 1));
  v.setUint8(13, ((bps - 1) & 0x0f) << 4); // total samples unknown (0); MD5 unknown (zeros)
  return out;
}

const CRC8 = new Uint8Array(256);
const CRC16 = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
  CRC8[i] = c;
  let d = i << 8;
  for (let k = 0; k < 8; k++) d = d & 0x8000 ? ((d << 1) ^ 0x8005) & 0xffff : (d << 1) & 0xffff;
  CRC16[i] = d;
}

/** FLAC's "UTF-8" coding of a sample number (up to 36 bits: 7 bytes; 8 kHz reaches 2^31 after ~3 days). */
function utf8Number(n: number, out: number[]): void {
  if (n < 0x80) { out.push(n); return; }
  // Continuation bytes carry 6 bits each; a lead byte of k ones, a zero and (7 - k) payload bits (none for 7 bytes).
  let k = 2;
  while (k < 7 && n >= 2 ** (6 * (k - 1) + (7 - k))) k++;
  const tail: number[] = [];
  for (let i = 1; i < k; i++) { tail.unshift(0x80 | (n % 64)); n = Math.floor(n / 64); }
  out.push(((0xff00 >> k) & 0xff) | n, ...tail);
}

/**
 * One FLAC frame of `count` samples per channel from `pcm` (interleaved when stereo), whose first sample is number
 * `first` of the stream. `count` must be MIN_BLOCK..FLAC_MAX_BLOCK (a shorter tail block is allowed by decoders too).
 */
export function flacFrame(pcm: Int16Array, count: number, channels: number, first: number): Uint8Array {
  const head: number[] = [0xff, 0xf9 /* sync, variable block size */, 0x70 /* 16-bit (count-1) at the end; rate from STREAMINFO */,
    ((channels - 1) << 4) | (0b100 << 1) /* independent channels, 16 bits per sample */];
  utf8Number(first, head);
  head.push(((count - 1) >> 8) & 0xff, (count - 1) & 0xff);
  let c8 = 0;
  for (const b of head) c8 = CRC8[c8 ^ b]!;
  head.push(c8);
  const size = head.length + channels * (1 + 2 * count) + 2;
  const out = new Uint8Array(size);
  out.set(head, 0);
  let p = head.length;
  for (let ch = 0; ch < channels; ch++) {
    out[p++] = 0x02; // subframe: zero bit, type 000001 (VERBATIM), no wasted bits
    for (let i = 0; i < count; i++) {
      const s = pcm[i * channels + ch]!;
      out[p++] = (s >> 8) & 0xff;
      out[p++] = s & 0xff;
    }
  }
  let c16 = 0;
  for (let i = 0; i < p; i++) c16 = ((c16 << 8) & 0xffff) ^ CRC16[(c16 >> 8) ^ out[i]!]!;
  out[p++] = c16 >> 8;
  out[p++] = c16 & 0xff;
  return out;
}
