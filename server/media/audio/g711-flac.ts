// G.711 RTP payloads → FLAC frames with their presentation times: what the packager adds as the audio track of a
// G.711 camera (CMAF only: MPEG-TS cannot carry FLAC, see server/media/README.md "G.711").
// Payloads (usually 20 ms, 160 samples) are gathered into frames of 128 ms: 8 packets a second for the muxer instead
// of 50, and 16 bytes of framing per 2 KiB instead of per 320. (It did not lower the CPU the bench measures, which
// goes to mediabunny's CMAF muxing: server/media/README.md "G.711".)
import { FLAC_MAX_BLOCK, flacDescription, flacFrame } from './flac';
import { decodeG711, type G711Law } from './g711';

export interface G711Audio {
  law: G711Law;
  sampleRate: number;
  channels: number;
  /** What the playlist and `list()` report for the carried track. */
  codecString: 'flac';
}

export interface FlacOut { data: Uint8Array; pts: number; duration: number }

/** Samples per channel gathered before a frame is written (128 ms at 8 kHz; as long as one AAC frame there). */
export const FLAC_GATHER = 1024;

export class G711ToFlac {
  readonly description: Uint8Array;
  private pcm = new Int16Array(FLAC_MAX_BLOCK * 2);
  /** Samples (per channel) gathered and the presentation time of the first. */
  private held = 0;
  private heldPts = 0;
  /** Sample number of the next frame (per channel): FLAC frames number their first sample. */
  private samples = 0;

  constructor(readonly spec: G711Audio, private readonly gather = Math.min(FLAC_GATHER, FLAC_MAX_BLOCK)) {
    this.description = flacDescription(spec.sampleRate, spec.channels);
  }

  /** One RTP payload presented at `pts` seconds → the frames it completes (none while gathering). A payload that
   * does not follow on from what is held (loss, a clock jump) first closes the held frame. */
  encode(payload: Uint8Array, pts: number): FlacOut[] {
    const { channels, sampleRate } = this.spec;
    const out: FlacOut[] = [];
    const expected = this.heldPts + this.held / sampleRate;
    if (this.held > 0 && Math.abs(pts - expected) > 0.5 / 1000 + 1 / sampleRate) this.flush(out);
    const total = Math.floor(payload.length / channels);
    for (let at = 0; at < total;) {
      if (this.held === 0) this.heldPts = pts + at / sampleRate;
      const n = Math.min(total - at, this.gather - this.held);
      decodeG711(this.spec.law, payload.subarray(at * channels, (at + n) * channels), this.pcm.subarray(this.held * channels));
      this.held += n;
      at += n;
      if (this.held >= this.gather) this.flush(out);
    }
    return out;
  }

  private flush(out: FlacOut[]): void {
    const { channels, sampleRate } = this.spec;
    // FLAC's smallest block is 16 samples; a shorter remainder (2 ms at 8 kHz) is dropped.
    if (this.held >= 16) {
      out.push({ data: flacFrame(this.pcm, this.held, channels, this.samples), pts: this.heldPts, duration: this.held / sampleRate });
      this.samples += this.held;
    }
    this.held = 0;
  }
}
