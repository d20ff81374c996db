// Reading H.264/H.265 NAL unit payloads bit by bit (ITU-T H.264 §7.2-7.4.1, H.265 §7.2-7.4.2): emulation-prevention
// bytes removed first, then fixed-width and Exp-Golomb fields. Shared by the probe (SPS in the SDP), the relay
// (in-band SPS, codec strings) and anything later that reads a parameter set.

/** The NAL unit with its emulation-prevention bytes (the 03 of 00 00 03) removed, so bits read as written. */
export function unescapeRbsp(nal: Uint8Array): Uint8Array {
  const out = new Uint8Array(nal.length);
  let n = 0;
  let zeros = 0;
  for (const b of nal) {
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/**
 * MSB-first reader over an RBSP. Reading past the end throws a RangeError instead of inventing zeros: a parser
 * fed random bytes (an absurd SDP, a damaged packet) must fail, not produce a plausible picture size.
 */
export class BitReader {
  private pos = 0;

  constructor(private readonly data: Uint8Array) {}

  /** `n` bits as an unsigned number (any n up to 53; no 32-bit overflow). */
  u(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const byte = this.data[this.pos >> 3];
      if (byte === undefined) throw new RangeError('truncated');
      v = v * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return v;
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.data.length * 8) throw new RangeError('truncated');
  }

  /** ue(v): unsigned Exp-Golomb. More than 31 leading zeros is not a field any parameter set has. */
  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) if (++zeros > 31) throw new RangeError('bad exp-golomb');
    return 2 ** zeros - 1 + this.u(zeros);
  }

  /** se(v): signed Exp-Golomb. */
  se(): number {
    const k = this.ue();
    return k & 1 ? (k + 1) / 2 : -(k / 2);
  }
}
