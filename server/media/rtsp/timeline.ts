// RTP timestamp → seconds on a per-session timeline.
// RTP timestamps are 32-bit and wrap; B-frames make them go backwards on purpose (they are presentation times in
// decode order), so deltas are read as signed 32-bit numbers instead of clamping backward steps (pitfall 3: clamping
// freezes output timestamps and merges frames). A jump bigger than `maxJumpSec` is a camera clock reset: we rebase
// so the timeline continues instead of leaping hours ahead.

export class RtpTimeline {
  private lastTs: number | null = null;
  private ext = 0; // extended ticks relative to the origin
  private jumps = 0;

  constructor(
    readonly clockRate: number,
    /** RTP time that maps to 0 s (RTP-Info rtptime from PLAY keeps tracks in sync); null → first packet. */
    origin: number | null = null,
    private readonly maxJumpSec = 10,
  ) {
    if (origin !== null) this.lastTs = origin >>> 0;
  }

  /** Number of clock resets absorbed so far. */
  get resets(): number { return this.jumps; }

  toSeconds(rtpTs: number): number {
    const ts = rtpTs >>> 0;
    if (this.lastTs === null) {
      this.lastTs = ts;
      return 0;
    }
    const delta = ((ts - this.lastTs) << 0); // signed 32-bit difference handles wraparound both ways
    if (Math.abs(delta) > this.maxJumpSec * this.clockRate) {
      this.jumps++;
      // Continue one nominal step later rather than jumping; the caller sees a small gap, never a leap.
      this.ext += Math.round(this.clockRate / 25);
    } else {
      this.ext += delta;
    }
    this.lastTs = ts;
    return this.ext / this.clockRate;
  }
}
