// Which durable events (server event log, `seq`) this page has handled, so that a reconnect resumes exactly where
// the page left off and nothing is handled twice.
//
// Why not just "the highest seq seen": after a reconnect the server may push new live events before it answers the
// `events:since` replay, so the highest seq jumps past the gap the replay is about to fill. Resuming from it after a
// second disconnect (mid-replay) would skip the gap for good, and dropping replayed events "<= highest" would lose
// them. So we keep a watermark (every seq at or below it is handled) and a set of handled seqs above it.
//
// Live events do not move the watermark one by one either: with several gateway nodes (issue #22) events written on
// different nodes can reach the page out of order (this node's 12 before another's 11, relayed through PostgreSQL),
// and a watermark moved to 12 would drop 11. Live seqs go into the set; only the oldest of a long set fold into the
// watermark (a reordering window of LIVE_WINDOW events), as replays and greetings do.

export type Resume = { kind: 'baseline' } | { kind: 'replay'; since: number };

/** Live seqs remembered above the watermark before the oldest are folded into it. */
const LIVE_WINDOW = 256;

export class SeqTracker {
  /** Every event with seq <= watermark is handled (or predates this page); null before the first greeting. */
  private watermark: number | null = null;
  /** Handled seqs above the watermark: live events that overtook a replay, or events before the first greeting. */
  private readonly above = new Set<number>();
  /** True while connected and not replaying: then the set is kept to a window of live events. */
  private caughtUp = false;

  /** The server greeted us (session:ready). The first greeting is the baseline; later ones need a replay. */
  greet(serverLastSeq: number): Resume {
    if (this.watermark === null) {
      // The page loads its lists over REST right now, so everything up to the server's newest seq counts as handled.
      // Events that arrived before the greeting were handled too.
      this.watermark = Math.max(serverLastSeq, 0, ...this.above);
      this.above.clear();
      this.caughtUp = true;
      return { kind: 'baseline' };
    }
    this.caughtUp = false;
    return { kind: 'replay', since: this.watermark };
  }

  disconnected(): void {
    this.caughtUp = false;
  }

  /** Marks `seq` handled; false when it already was (then the caller drops the event). */
  offer(seq: number): boolean {
    if (!Number.isSafeInteger(seq)) return true; // not a durable event: nothing to dedupe on
    if (this.watermark !== null && seq <= this.watermark) return false;
    if (this.above.has(seq)) return false;
    this.above.add(seq);
    if (this.caughtUp && this.above.size > 2 * LIVE_WINDOW) this.foldOldest();
    return true;
  }

  /** A replay page ended at `lastSeq`: everything up to it is now handled. */
  replayedUpTo(lastSeq: number): void {
    if (this.watermark === null || lastSeq <= this.watermark) return;
    this.watermark = lastSeq;
    this.prune();
  }

  /**
   * The replay finished: the log has nothing older that we lack, so live events seen meanwhile close the gap.
   * Also used when the replay gave up (too many pages): the caller reloads its lists instead.
   */
  caughtUpTo(serverLastSeq?: number): void {
    if (this.watermark === null) return;
    const highest = Math.max(this.watermark, serverLastSeq ?? 0, ...this.above);
    this.watermark = highest;
    this.above.clear();
    this.caughtUp = true;
  }

  /** Where a replay would start now (for tests and diagnostics). */
  get resumeFrom(): number | null {
    return this.watermark;
  }

  /** Folds all but the newest LIVE_WINDOW live seqs into the watermark. */
  private foldOldest(): void {
    const sorted = [...this.above].sort((a, b) => a - b);
    const folded = sorted.slice(0, sorted.length - LIVE_WINDOW);
    this.watermark = Math.max(this.watermark ?? 0, folded[folded.length - 1]!);
    for (const seq of folded) this.above.delete(seq);
  }

  private prune(): void {
    if (this.watermark === null) return;
    for (const seq of this.above) if (seq <= this.watermark) this.above.delete(seq);
  }
}
