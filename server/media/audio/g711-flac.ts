// G.711 RTP payloads → FLAC frames with their presentation times: what the packager adds as the audio track of a
// G.711 camera (CMAF only: MPEG-TS cannot carry FLAC, see server/media/README.md "G.711").
import { FLAC_MAX_BLOCK, flacDescription, flacFrame } from './flac';
import { decodeG711, type G711Law } from './g711';

export interface G711Audio {
  law: G711Law;
  sampleRate: number;
  channels: number;
  /** What the playlist and `list()` report for the carried track. */
  codecString: 'flac';
}

export class G711ToFlac {
  readonly description: Uint8Array;
  private pcm = new Int16Array(FLAC_MAX_BLOCK * 2);
  /** Sample number of the next frame (per channel): FLAC frames number their first sample. */
  private samples = 0;

  constructor(readonly spec: G711Audio) {
    this.description = flacDescription(spec.sampleRate, spec.channels);
  }

  /** One RTP payload presented at `pts` seconds → frames (usually one) with their own times and durations. */
  encode(payload: Uint8Array, pts: number): { data: Uint8Array; pts: number; duration: number }[] {
    const { channels, sampleRate } = this.spec;
    const total = Math.floor(payload.length / channels);
    const out: { data: Uint8Array; pts: number; duration: number }[] = [];
    for (let at = 0; at < total; at += FLAC_MAX_BLOCK) {
      const count = Math.min(FLAC_MAX_BLOCK, total - at);
      // A tail under FLAC's 16-sample minimum is not worth a frame (2 ms at 8 kHz).
      if (count < 16) break;
      const n = decodeG711(this.spec.law, payload.subarray(at * channels, (at + count) * channels), this.pcm);
      out.push({ data: flacFrame(this.pcm, n / channels, channels, this.samples), pts: pts + at / sampleRate, duration: count / sampleRate });
      this.samples += count;
    }
    return out;
  }
}
