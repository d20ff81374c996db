// Evidence clips of danger tags (issue #17): tagging a danger keeps the video from 30 s before the tagged moment to
// 30 s after it. The past comes from the rewind ring (marked as recording), the future is recorded with the relay
// pinned until the post-roll ends (Recorder.trigger); the dispatch service locks the range and names the clip on
// the danger in its transaction. Once the post-roll is stored, the clip is hashed like an evidence frame: sha256
// over the stored segment bytes of the range in playing order, so a clip played later can be checked against the
// tag. Framework-free; the recording plugin runs `finish` on a timer.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Repositories } from '../db/repositories';
import { EVIDENCE_AFTER_SEC, EVIDENCE_BEFORE_SEC } from '../domain/recording-plan';
import type { Recorder } from '../media/record';
import type { RecordingService } from './service';

export interface EvidenceClipDeps {
  repos: Repositories;
  recorder: Recorder;
  service: RecordingService;
  /** The store's directory. */
  dir: string;
  /** Flush the store's queued index rows (the post-roll's last rows) before hashing. */
  flush: () => Promise<void>;
  now?: () => number;
}

/** A clip is hashed this long after its post-roll ended: the last segment is finished at the next key frame. */
const SETTLE_MS = 5_000;

export class EvidenceClips {
  constructor(private readonly deps: EvidenceClipDeps) {}

  /** Keep the tag's past and record its post-roll (while its relay runs: a tag from a tile, whose relay does, or
   * of a recorded camera; a tag made without watching starts no relay); the range to lock and name on the danger. */
  begin(cameraId: number, atMs: number): Promise<{ fromMs: number; toMs: number }> {
    return this.deps.recorder.trigger(cameraId, atMs, { beforeMs: EVIDENCE_BEFORE_SEC * 1000, afterMs: EVIDENCE_AFTER_SEC * 1000, onlyIfRunning: true });
  }

  /** Hash every clip whose post-roll is stored; a clip with no stored video at all is 'missing'. Returns how many. */
  async finish(settleMs = SETTLE_MS): Promise<number> {
    const now = (this.deps.now ?? Date.now)();
    await this.deps.flush();
    const pending = await this.deps.repos.recordings.pendingClips(now - settleMs);
    for (const c of pending) {
      const segs = await this.deps.service.storedSegments(c.cameraId, c.startMs, c.endMs);
      if (segs.length === 0) {
        await this.deps.repos.recordings.finishClip(c.dangerId, { state: 'missing', sha256: null, bytes: null, segments: 0 });
        continue;
      }
      const files = new Map((await this.deps.repos.recordings.filesOverlapping(c.cameraId, c.startMs, c.endMs)).map((f) => [f.id, f.path]));
      const hash = createHash('sha256');
      let bytes = 0;
      for (const s of segs) {
        const fh = await open(join(this.deps.dir, files.get(s.fileId)!), 'r');
        try {
          const buf = Buffer.alloc(s.size);
          await fh.read(buf, 0, s.size, s.offset);
          hash.update(buf);
          bytes += s.size;
        } finally { await fh.close(); }
      }
      await this.deps.repos.recordings.finishClip(c.dangerId, { state: 'ready', sha256: hash.digest('hex'), bytes, segments: segs.length });
    }
    return pending.length;
  }
}
