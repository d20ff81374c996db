// The segment store (server/media/record/) wired into the app: where it lives, recovery of what a crash left
// unindexed, every running relay's rewind ring, and recorded cameras from the catalogue's settings. The media
// plugin feeds it the relays' Publish events (onPublish) and lets it pin recorded cameras' relays.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import { Janitor, RecordingStore, Recorder, recoverStore } from '../media/record';
import { EvidenceClips } from '../recordings/evidence-clips';
import { RecordingPlans } from '../recordings/plans';
import { RecordingService } from '../recordings/service';
import { JOBS } from './cluster';

declare module 'fastify' {
  interface FastifyInstance {
    recordings: { store: RecordingStore; recorder: Recorder; dir: string; service: RecordingService; plans: RecordingPlans; clips: EvidenceClips };
  }
}

const GB = 1024 ** 3;

export default fp(
  async (app) => {
    const cfg = app.config.recording;
    const dir = resolve(cfg.dir || join(app.config.dataDir, 'recordings'));
    mkdirSync(dir, { recursive: true });
    const repo = app.repos.recordings;
    // Before any relay can write: files left unsealed by a crash get their lost rows back and their torn tail cut.
    const report = await recoverStore(dir, repo);
    if (report.files > 0) app.log.info({ ...report }, 'recordings: recovered files left open by the last run');
    const store = new RecordingStore({
      dir, index: repo, format: app.config.media.segmentFormat, ringMs: Math.max(1, cfg.ringSec) * 1000,
      onStopped: (key, reason) => app.log.warn({ cameraId: key.cameraId, stream: key.stream, reason }, 'recording stopped'),
    });
    const retentionJob = app.cluster.leadership.job(JOBS.retention);
    const janitor = new Janitor({ dir, index: repo, defaultRetentionDays: cfg.defaultRetentionDays, quotaBytes: cfg.quotaGb * GB, minFreeBytes: cfg.minFreeGb * GB,
      // On a cluster, one node at a time deletes what is past retention (server/db/README.md "Leadership").
      retention: () => retentionJob.isLeader(),
    });
    const recorder = new Recorder({ store, janitor, ringEnabled: cfg.ringSec > 0 });
    // Every camera's effective plan (its own, its unit's, its network's): recorded cameras' relays are pinned as
    // soon as the media plugin attaches the relay manager.
    const { invalidation } = app.cluster;
    const plans = new RecordingPlans({
      db: app.db, repos: app.repos, recorder, defaultRetentionDays: cfg.defaultRetentionDays,
      changed: (id) => void invalidation.publish({ kind: 'recording-plan', id }).catch((err) => app.log.warn({ err }, 'recording plan change not announced')),
    });
    await plans.applyAll();
    // A plan saved on another gateway node: this node's recorder follows it (it may be the one running the relay).
    // Our own saves come back here too and apply the same plan once more, which changes nothing.
    const unsubscribe = invalidation.subscribe((m) => {
      if (m.kind !== 'recording-plan' && m.kind !== 'all') return;
      const id = m.kind === 'recording-plan' ? m.id : null;
      (id === null ? plans.applyAll() : plans.reapply(id)).catch((err) => app.log.warn({ err, cameraId: id }, 'recording plan not re-read'));
    });
    const service = new RecordingService({ db: app.db, repos: app.repos, recorder, ringMs: cfg.ringSec * 1000, defaultRetentionDays: cfg.defaultRetentionDays, dir });
    const clips = new EvidenceClips({ repos: app.repos, recorder, service, dir, flush: () => store.flush() });
    app.decorate('recordings', { store, recorder, dir, service, plans, clips });
    // Danger clips whose post-roll is stored get their hash (one pass at a time).
    let finishing = false;
    const clipTimer = setInterval(() => {
      if (finishing) return;
      finishing = true;
      clips.finish().catch((err) => app.log.warn({ err }, 'evidence clips: hashing failed')).finally(() => { finishing = false; });
    }, 5_000).unref();
    app.addHook('onClose', async () => {
      unsubscribe();
      clearInterval(clipTimer);
      recorder.close();
      await store.close();
    });
  },
  { name: 'recording', dependencies: ['database', 'cluster'] },
);
