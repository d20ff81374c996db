// Recording plans as use cases (framework-free): a camera's own setting, defaults per network and per org unit, the
// effective plan of each camera (camera > nearest unit > network > off, server/domain/recording-plan.ts) applied to
// the recorder, and events (an alarm) that record an event-mode camera's pre/post roll. Same area rules as live:
// a camera or unit outside the caller's area is 404; network defaults are the county's (admin, county operator).
import type { RecordingDefault, RecordingPlan, RecordingPlanBody, RecordingSettings, RecordingSettingsBody } from '../contracts/recordings';
import type { Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { CameraWithPath } from '../db/repositories/cameras';
import type { StoredPlan } from '../db/repositories/recordings';
import type { UserWithScope } from '../db/repositories/users';
import { DEFAULT_POST_ROLL_SEC, DEFAULT_PRE_ROLL_SEC, effectivePlan, planProblem, type RecordingPlan as DomainPlan } from '../domain/recording-plan';
import { inScope } from '../domain/scope';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';
import type { Recorder } from '../media/record';
import { visibleUnit } from '../org/visible-unit';

export interface PlanDeps {
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> };
  repos: Repositories;
  recorder: Recorder;
  defaultRetentionDays: number;
  now?: () => number;
  /** Told after a plan was saved (a camera's id, or null for a default): other gateway nodes re-read it. */
  changed?: (cameraId: number | null) => void;
}

interface Caller {
  user: UserWithScope;
  ip: string;
}

const COUNTY_ROLES = new Set(['admin', 'county_operator']);
const unitIdsOf = (path: string): number[] => path.split('/').filter(Boolean).map(Number);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class RecordingPlans {
  /** Defaults are few (one per network or unit that has one): kept in memory, reloaded on every change. */
  private networkDefaults = new Map<string, StoredPlan>();
  private unitDefaults = new Map<number, StoredPlan>();

  constructor(private readonly deps: PlanDeps) {}

  private get off(): DomainPlan {
    return { mode: 'off', stream: 'main', retentionDays: this.deps.defaultRetentionDays, schedule: null, preRollSec: DEFAULT_PRE_ROLL_SEC, postRollSec: DEFAULT_POST_ROLL_SEC };
  }

  async loadDefaults(): Promise<void> {
    const rows = await this.deps.repos.recordings.defaults();
    this.networkDefaults = new Map(rows.filter((d) => d.scope === 'network').map((d) => [d.key, strip(d)]));
    this.unitDefaults = new Map(rows.filter((d) => d.scope === 'unit').map((d) => [Number(d.key), strip(d)]));
  }

  /** The plan that applies to a camera and where it comes from. */
  resolve(camera: { network: string; orgPath: string }, own: StoredPlan | undefined) {
    const units = unitIdsOf(camera.orgPath).reverse().flatMap((id) => {
      const d = this.unitDefaults.get(id);
      return d ? [{ ...d, unitId: id }] : [];
    });
    return effectivePlan(own, units, this.networkDefaults.get(camera.network), this.off);
  }

  /** Every camera's effective plan to the recorder (start-up, and after a default changed). */
  async applyAll(): Promise<number> {
    await this.loadDefaults();
    const own = new Map((await this.deps.repos.recordings.recorded()).map((s) => [s.cameraId, s]));
    const withDefaults = this.networkDefaults.size > 0 || this.unitDefaults.size > 0;
    // Without defaults only cameras with their own setting record: no need to walk 100k cameras.
    const cameras = withDefaults ? await this.deps.repos.recordings.cameraPlacements() : await this.deps.repos.recordings.cameraPlacements([...own.keys()]);
    const ownAll = withDefaults ? new Map((await this.deps.repos.recordings.allSettings()).map((s) => [s.cameraId, s])) : own;
    let recorded = 0;
    for (const c of cameras) {
      const { plan } = this.resolve(c, ownAll.get(c.id));
      if (plan.mode !== 'off') recorded++;
      // 'off' is applied too: a camera whose default was just removed stops.
      if (plan.mode !== 'off' || this.deps.recorder.state(c.id).mode !== 'off') this.deps.recorder.apply({ cameraId: c.id, ...plan });
    }
    return recorded;
  }

  /** One camera's effective plan to the recorder again (it moved to another unit or network). */
  async reapply(cameraId: number): Promise<void> {
    const [c] = await this.deps.repos.recordings.cameraPlacements([cameraId]);
    if (!c) return;
    const own = await this.deps.repos.recordings.settings(cameraId);
    const { plan } = this.resolve(c, own && strip(own));
    if (plan.mode !== 'off' || this.deps.recorder.state(cameraId).mode !== 'off') this.deps.recorder.apply({ cameraId, ...plan });
  }

  async settings(user: UserWithScope, cameraId: number): Promise<RecordingSettings> {
    const camera = await this.visible(user, cameraId);
    return this.settingsOf(camera);
  }

  private async settingsOf(camera: CameraWithPath): Promise<RecordingSettings> {
    const own = await this.deps.repos.recordings.settings(camera.id);
    const eff = this.resolve(camera, own && strip(own));
    const st = this.deps.recorder.state(camera.id);
    return {
      cameraId: camera.id, mode: eff.plan.mode, stream: eff.plan.stream, retentionDays: eff.plan.retentionDays,
      own: own ? plan(own) : null, effective: plan(eff.plan), source: eff.source, sourceUnitId: eff.unitId,
      state: st.state, reason: st.reason, pinned: st.pinned, holdUntil: iso(st.holdUntil), nextChange: iso(st.nextChange),
    };
  }

  /** Set (or with mode 'inherit', remove) a camera's own plan; the effective one goes to the recorder at once. */
  async saveSettings(caller: Caller, cameraId: number, body: RecordingSettingsBody): Promise<RecordingSettings> {
    const camera = await this.visible(caller.user, cameraId);
    const prev = await this.deps.repos.recordings.settings(cameraId);
    const next = body.mode === 'inherit' ? null : this.checked({ ...body, mode: body.mode }, prev);
    await this.deps.db.transaction(async (tx) => {
      if (next) await this.deps.repos.recordings.saveSettings({ cameraId, ...next }, tx);
      else await this.deps.repos.recordings.clearSettings(cameraId, tx);
      await this.audit(caller, 'camera', cameraId, unitOf(camera.orgPath), { ...(next ? summary(next) : { mode: 'inherit' }) }, tx);
    });
    const { plan: eff } = this.resolve(camera, next ?? undefined);
    this.deps.recorder.apply({ cameraId, ...eff });
    this.deps.changed?.(cameraId);
    return this.settingsOf(camera);
  }

  /** Defaults the caller may see: every network's, and the units' in their area. */
  async defaults(user: UserWithScope): Promise<RecordingDefault[]> {
    const rows = await this.deps.repos.recordings.defaults();
    const units = new Map((await this.deps.repos.orgUnits.subtree(user.scopePath)).map((u) => [String(u.id), u]));
    return rows.filter((d) => d.scope === 'network' || units.has(d.key)).map((d) => ({ scope: d.scope, key: d.key, ...plan(d), updatedAt: d.updatedAt }));
  }

  async saveNetworkDefault(caller: Caller, network: string, body: RecordingPlanBody | null): Promise<{ recorded: number }> {
    if (!COUNTY_ROLES.has(caller.user.role)) throw new ForbiddenError('Network defaults are set by the county');
    if (!(await this.deps.repos.recordings.networkExists(network))) throw new NotFoundError(`Network ${network}`, 'network');
    return this.saveDefault(caller, 'network', network, null, body);
  }

  async saveUnitDefault(caller: Caller, unitId: number, body: RecordingPlanBody | null): Promise<{ recorded: number }> {
    const unit = await visibleUnit(this.deps.repos.orgUnits, caller.user.scopePath, unitId, 'unitId');
    return this.saveDefault(caller, 'unit', String(unitId), unit.id, body);
  }

  private async saveDefault(caller: Caller, scope: 'network' | 'unit', key: string, unitId: number | null, body: RecordingPlanBody | null) {
    const prev = (await this.deps.repos.recordings.defaults()).find((d) => d.scope === scope && d.key === key);
    const next = body ? this.checked(body, prev) : null;
    await this.deps.db.transaction(async (tx) => {
      if (next) await this.deps.repos.recordings.saveDefault({ scope, key, ...next }, tx);
      else await this.deps.repos.recordings.deleteDefault(scope, key, tx);
      await this.audit(caller, scope, key, unitId, { ...(next ? summary(next) : { mode: 'removed' }) }, tx);
    });
    const recorded = await this.applyAll();
    this.deps.changed?.(null);
    return { recorded };
  }

  /** An event (an alarm, or a person pressing 记录事件) on a camera: its pre-roll is kept and it records its
   * post-roll, whatever its mode (an event-mode camera's own rolls, else the defaults). Audited. */
  async event(caller: Caller, cameraId: number, body: { at?: string; reason?: string }): Promise<{ cameraId: number; from: string; to: string }> {
    const camera = await this.visible(caller.user, cameraId);
    const now = (this.deps.now ?? Date.now)();
    const at = body.at ? Date.parse(body.at) : now;
    if (at > now + 60_000) throw new BadRequestError('is in the future', 'at');
    const r = await this.deps.recorder.trigger(cameraId, at);
    await this.audit(caller, 'camera', cameraId, unitOf(camera.orgPath), { event: new Date(at).toISOString(), from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString(), reason: body.reason ?? '' }, undefined, 'recording.event');
    return { cameraId, from: new Date(r.fromMs).toISOString(), to: new Date(r.toMs).toISOString() };
  }

  async visible(user: UserWithScope, cameraId: number): Promise<CameraWithPath> {
    const camera = await this.deps.repos.cameras.byId(cameraId);
    if (!camera || !inScope(user.scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`);
    return camera;
  }

  /** A body completed from the previous setting and checked beyond the schema: a schedule mode needs a plan, and
   * the plan's ranges must be in order (400 naming the field, e.g. schedule.days[2][0].to). */
  private checked(body: RecordingPlanBody, prev: StoredPlan | undefined): StoredPlan {
    const schedule = body.schedule === undefined ? prev?.schedule ?? null : body.schedule;
    if (body.mode === 'schedule' && !schedule) throw new BadRequestError('is required for mode schedule', 'schedule');
    if (schedule) {
      const problem = planProblem(schedule);
      if (problem) throw new BadRequestError(problem.message, problem.field);
    }
    return {
      mode: body.mode, stream: body.stream ?? prev?.stream ?? 'main', retentionDays: body.retentionDays ?? prev?.retentionDays ?? this.deps.defaultRetentionDays,
      schedule, preRollSec: body.preRollSec ?? prev?.preRollSec ?? DEFAULT_PRE_ROLL_SEC, postRollSec: body.postRollSec ?? prev?.postRollSec ?? DEFAULT_POST_ROLL_SEC,
    };
  }

  private audit(caller: Caller, targetType: string, targetId: number | string, orgUnitId: number | null, detail: Record<string, unknown>, tx?: Queryable, action = 'recording.settings') {
    return this.deps.repos.audit.record({
      actorType: 'user', actorId: caller.user.id, actorName: caller.user.username, action, targetType, targetId,
      orgUnitId, ip: caller.ip, detail,
    }, tx);
  }
}

function strip<T extends StoredPlan>(p: T): StoredPlan {
  return { mode: p.mode, stream: p.stream, retentionDays: p.retentionDays, schedule: p.schedule, preRollSec: p.preRollSec, postRollSec: p.postRollSec };
}
const plan = (p: StoredPlan): RecordingPlan => strip(p);
const summary = (p: StoredPlan) => ({ mode: p.mode, stream: p.stream, retentionDays: p.retentionDays, schedule: p.schedule, preRollSec: p.preRollSec, postRollSec: p.postRollSec });
const unitOf = (path: string): number | null => unitIdsOf(path).pop() ?? null;
