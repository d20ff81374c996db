// RFC 3640 (mpeg4-generic, AAC-hbr) depacketizer. Several AAC frames may share one RTP packet and timestamp
// (pitfall 4): frame i of a packet is presented at ts + i * 1024 samples. The AudioSpecificConfig never travels in
// band; it comes from the SDP `config` fmtp parameter.

export interface AacConfig {
  config: Uint8Array;
  sampleRate: number;
  channels: number;
  /** RFC 6381 codec string, e.g. mp4a.40.2 */
  codecString: string;
}

const RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export function parseAacConfig(hex: string | undefined): AacConfig | null {
  if (!hex || !/^[0-9a-f]+$/i.test(hex) || hex.length < 4) return null;
  const config = new Uint8Array(Buffer.from(hex, 'hex'));
  const objectType = config[0]! >> 3;
  const freqIndex = ((config[0]! & 7) << 1) | (config[1]! >> 7);
  const channels = (config[1]! >> 3) & 0xf;
  const sampleRate = RATES[freqIndex];
  if (!objectType || sampleRate === undefined || channels === 0) return null;
  return { config, sampleRate, channels, codecString: `mp4a.40.${objectType}` };
}

function readBits(buf: Uint8Array, bitOffset: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const bit = bitOffset + i;
    v = v * 2 + ((buf[bit >> 3]! >> (7 - (bit & 7))) & 1);
  }
  return v;
}

export class AacDepacketizer {
  private readonly sizeLength: number;
  private readonly indexLength: number;
  private readonly indexDeltaLength: number;

  constructor(fmtp: Record<string, string>, private readonly samplesPerFrame = 1024) {
    this.sizeLength = Number(fmtp['sizelength'] ?? 13) || 13;
    this.indexLength = Number(fmtp['indexlength'] ?? 3);
    this.indexDeltaLength = Number(fmtp['indexdeltalength'] ?? 3);
  }

  /** Returns the frames of one RTP packet with their RTP timestamps. */
  depacketize(p: Uint8Array, rtpTimestamp: number): { rtpTimestamp: number; data: Uint8Array }[] {
    if (p.length < 2) return [];
    const headerBits = (p[0]! << 8) | p[1]!;
    const headerBytes = Math.ceil(headerBits / 8);
    let dataOffset = 2 + headerBytes;
    const out: { rtpTimestamp: number; data: Uint8Array }[] = [];
    for (let bit = 0, i = 0; bit + this.sizeLength <= headerBits; i++) {
      const size = readBits(p.subarray(2, 2 + headerBytes), bit, this.sizeLength);
      bit += this.sizeLength + (i === 0 ? this.indexLength : this.indexDeltaLength);
      if (dataOffset + size > p.length) break; // fragmented AU: cameras do not send those for speech-rate audio
      out.push({ rtpTimestamp: (rtpTimestamp + i * this.samplesPerFrame) >>> 0, data: p.subarray(dataOffset, dataOffset + size) });
      dataOffset += size;
    }
    return out;
  }
}
