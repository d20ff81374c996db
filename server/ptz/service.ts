// PTZ use cases (云台控制): move, stop, presets, home, and the control lock with its sessions. Framework-free: the ptz
// plugin hands in the database, repositories, publisher, the camera service (scope) and the ONVIF driver.
//
// Locks and motion live in memory: they last seconds to minutes, belong to this one gateway process, and a restart
// ends every control session anyway (the cameras keep their own presets). What must last — who steered which camera
// when, which presets were used, take-overs, preset changes — goes to the audit log. Lock changes are published as
// 'ptz:lock' to everyone who can see the camera.
import type { PtzHolderInfo, PtzLockState, PtzPreset, PtzTour, PtzTourBody } from '../contracts/ptz';
import type { PtzLockEvent } from '../contracts/events';
import type { CameraService } from '../cameras/service';
import { atomically, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { UserWithScope } from '../db/repositories/users';
import {
  LOCK_IDLE_MS, type PtzController, type PtzHolder, canTakeOver, decideLock, isStill, lockExpired, ptzLevel, silentTooLong,
} from '../domain/ptz-lock';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import type { PtzTarget, Velocity } from './onvif-ptz';

/** What the service needs of a PTZ driver (server/ptz/onvif-ptz.ts; tests may count calls on it). */
export interface PtzDriver {
  move(t: PtzTarget, v: Velocity): Promise<void>;
  stop(t: PtzTarget): Promise<void>;
  presets(t: PtzTarget): Promise<PtzPreset[]>;
  gotoPreset(t: PtzTarget, token: string): Promise<void>;
  savePreset(t: PtzTarget, name: string): Promise<string>;
  removePreset(t: PtzTarget, token: string): Promise<void>;
  home(t: PtzTarget): Promise<void>;
}

export interface PtzDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  cameras: CameraService;
  driver: PtzDriver;
  log: { warn(obj: object, msg: string): void };
  now?: () => number;
  /** How often the watchdog and the idle sweep look (default 200 ms: a silent move stops within 1.2 s). */
  tickMs?: number;
}

export type PtzCaller = Pick<UserWithScope, 'id' | 'username' | 'displayName' | 'orgUnitId' | 'scopePath'>;

interface Session {
  holder: PtzHolder;
  username: string;
  cameraId: number;
  orgUnitId: number;
  orgPath: string;
  target: PtzTarget;
  presetsUsed: string[];
  moves: number;
  watchdogStops: number;
}

interface Motion {
  target: PtzTarget;
  velocity: Velocity;
  lastMoveAt: number;
  /** When the velocity was last sent to the camera: an unchanged one is re-sent only now and then. */
  sentAt: number;
}

/** A running preset tour: the step it goes to next and when. */
interface TourRun {
  tour: PtzTour;
  index: number;
  nextAt: number;
  busy: boolean;
}

/** After a tour step failed (camera down), the tour tries again this much later. */
const TOUR_RETRY_MS = 30_000;

/** Some cameras end a ContinuousMove after their own default timeout; a held key re-sends it this often. */
const RESEND_MS = 2_000;

interface Context {
  cameraId: number;
  orgUnitId: number;
  orgPath: string;
  target: PtzTarget;
  controller: PtzController;
  username: string;
}

export class PtzService {
  private readonly sessions = new Map<number, Session>();
  private readonly motions = new Map<number, Motion>();
  private readonly tours = new Map<number, TourRun>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly deps: PtzDeps) {
    this.now = deps.now ?? Date.now;
    this.timer = setInterval(() => void this.tick(), deps.tickMs ?? 200);
    this.timer.unref();
  }

  /** Starts the enabled preset tours (巡航) kept in the database. */
  async start(): Promise<void> {
    for (const tour of await this.deps.repos.ptzTours.enabled()) this.schedule(tour);
  }

  /** Stops the timers and every camera still moving (best effort, bounded by the driver's timeout). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.tours.clear();
    const moving = [...this.motions.values()];
    this.motions.clear();
    await Promise.allSettled(moving.map((m) => this.deps.driver.stop(m.target)));
  }

  /** The lock as the caller sees it (no camera request). */
  async lockState(caller: PtzCaller, cameraId: number): Promise<PtzLockState> {
    const ctx = await this.context(caller, cameraId);
    return this.stateFor(ctx);
  }

  async take(caller: PtzCaller, cameraId: number, takeOver: boolean, ip: string): Promise<PtzLockState> {
    const ctx = await this.context(caller, cameraId);
    await this.acquire(ctx, takeOver, ip);
    return this.stateFor(ctx);
  }

  /** Gives the lock back (stopping the camera if it moves); freeing a lock one does not hold is 409. */
  async release(caller: PtzCaller, cameraId: number, ip: string): Promise<void> {
    const ctx = await this.context(caller, cameraId);
    const s = this.live(cameraId);
    if (!s) return;
    if (s.holder.userId !== caller.id) throw this.heldBy(s.holder);
    this.sessions.delete(cameraId);
    if (this.motions.delete(cameraId)) await this.deps.driver.stop(ctx.target).catch((err) => this.deps.log.warn({ err, cameraId }, 'ptz stop on release failed'));
    await this.end(s, 'release', null, ip);
  }

  async move(caller: PtzCaller, cameraId: number, v: Velocity, ip: string): Promise<PtzLockState> {
    if (isStill(v)) return this.stop(caller, cameraId, ip);
    const ctx = await this.context(caller, cameraId);
    const s = await this.acquire(ctx, false, ip);
    const now = this.now();
    const m = this.motions.get(cameraId);
    const same = m && m.velocity.pan === v.pan && m.velocity.tilt === v.tilt && m.velocity.zoom === v.zoom && now - m.sentAt < RESEND_MS;
    const motion: Motion = { target: ctx.target, velocity: { ...v }, lastMoveAt: now, sentAt: same ? m.sentAt : now };
    this.motions.set(cameraId, motion);
    if (!same) {
      s.moves++;
      try {
        await this.deps.driver.move(ctx.target, v);
      } catch (err) {
        if (this.motions.get(cameraId) === motion) this.motions.delete(cameraId);
        throw err;
      }
    }
    return this.stateFor(ctx);
  }

  async stop(caller: PtzCaller, cameraId: number, ip: string): Promise<PtzLockState> {
    const ctx = await this.context(caller, cameraId);
    await this.acquire(ctx, false, ip);
    this.motions.delete(cameraId);
    await this.deps.driver.stop(ctx.target);
    return this.stateFor(ctx);
  }

  /** The camera's presets: anyone who may see the camera may read them (no lock). */
  async presets(caller: PtzCaller, cameraId: number): Promise<PtzPreset[]> {
    const ctx = await this.context(caller, cameraId);
    return this.deps.driver.presets(ctx.target);
  }

  async gotoPreset(caller: PtzCaller, cameraId: number, token: string, ip: string): Promise<PtzLockState> {
    const ctx = await this.context(caller, cameraId);
    const s = await this.acquire(ctx, false, ip);
    this.motions.delete(cameraId);
    await this.deps.driver.gotoPreset(ctx.target, token);
    s.presetsUsed.push(token);
    return this.stateFor(ctx);
  }

  async home(caller: PtzCaller, cameraId: number, ip: string): Promise<PtzLockState> {
    const ctx = await this.context(caller, cameraId);
    const s = await this.acquire(ctx, false, ip);
    this.motions.delete(cameraId);
    await this.deps.driver.home(ctx.target);
    s.presetsUsed.push('home');
    return this.stateFor(ctx);
  }

  async savePreset(caller: PtzCaller, cameraId: number, name: string, ip: string): Promise<PtzPreset> {
    const ctx = await this.context(caller, cameraId);
    await this.acquire(ctx, false, ip);
    const clean = name.trim();
    const token = await this.deps.driver.savePreset(ctx.target, clean);
    await this.audit(ctx, 'ptz.preset-save', { token, name: clean }, ip);
    return { token, name: clean };
  }

  async deletePreset(caller: PtzCaller, cameraId: number, token: string, ip: string): Promise<void> {
    const ctx = await this.context(caller, cameraId);
    await this.acquire(ctx, false, ip);
    await this.deps.driver.removePreset(ctx.target, token);
    await this.audit(ctx, 'ptz.preset-delete', { token }, ip);
  }

  async tour(caller: PtzCaller, cameraId: number): Promise<PtzTour> {
    await this.context(caller, cameraId);
    const tour = await this.deps.repos.ptzTours.get(cameraId);
    if (!tour) throw new NotFoundError(`Preset tour of camera ${cameraId}`);
    return tour;
  }

  /**
   * Saves the camera's preset tour (巡航); every step must name a preset the camera has (400 naming the step).
   * An enabled tour starts at its first step as soon as nobody holds the lock.
   */
  async saveTour(caller: PtzCaller, cameraId: number, body: PtzTourBody, ip: string): Promise<PtzTour> {
    const ctx = await this.context(caller, cameraId);
    const known = new Set((await this.deps.driver.presets(ctx.target)).map((p) => p.token));
    body.steps.forEach((step, i) => {
      if (!known.has(step.token)) throw new BadRequestError(`steps.${i}.token: the camera has no preset ${step.token}`, `steps.${i}.token`);
    });
    const tour = await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      await this.deps.repos.ptzTours.put(cameraId, { steps: body.steps, enabled: body.enabled, updatedBy: caller.username }, tx);
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'ptz.tour-save', targetType: 'camera', targetId: cameraId,
        orgUnitId: ctx.orgUnitId, ip, detail: { steps: body.steps, enabled: body.enabled },
      }, tx);
      return (await this.deps.repos.ptzTours.get(cameraId, tx))!;
    });
    this.tours.delete(cameraId);
    if (tour.enabled) this.schedule(tour);
    return tour;
  }

  async deleteTour(caller: PtzCaller, cameraId: number, ip: string): Promise<void> {
    const ctx = await this.context(caller, cameraId);
    await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      if (!(await this.deps.repos.ptzTours.delete(cameraId, tx))) throw new NotFoundError(`Preset tour of camera ${cameraId}`);
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'ptz.tour-delete', targetType: 'camera', targetId: cameraId,
        orgUnitId: ctx.orgUnitId, ip, detail: {},
      }, tx);
    });
    this.tours.delete(cameraId);
  }

  /** Whether a camera's tour is running now (enabled and nobody holds the lock). */
  touring(cameraId: number): boolean {
    return this.tours.has(cameraId) && !this.live(cameraId);
  }

  private schedule(tour: PtzTour): void {
    if (tour.enabled && tour.steps.length > 0) this.tours.set(tour.cameraId, { tour, index: 0, nextAt: this.now(), busy: false });
  }

  /** One step of each due tour whose camera nobody steers; a held lock pauses it, and it goes on with the next step
   * as soon as the lock is released or expires. */
  private runTours(now: number): void {
    for (const [cameraId, run] of this.tours) {
      if (run.busy || now < run.nextAt || this.live(cameraId)) continue;
      run.busy = true;
      const step = run.tour.steps[run.index % run.tour.steps.length];
      void (async () => {
        const target = await this.deps.repos.cameras.ptzTarget(cameraId);
        if (!target) {
          this.tours.delete(cameraId); // the camera is gone (its tour row went with it)
          return;
        }
        await this.deps.driver.gotoPreset({ cameraId, xaddr: target.xaddr, username: target.username, password: target.password }, step.token);
        run.index = (run.index + 1) % run.tour.steps.length;
        run.nextAt = this.now() + step.dwellSec * 1000;
      })().catch((err) => {
        this.deps.log.warn({ err, cameraId }, 'ptz tour step failed');
        run.nextAt = this.now() + TOUR_RETRY_MS;
      }).finally(() => {
        run.busy = false;
      });
    }
  }

  /** Whether a camera is moving under a controller (tests and the README's watchdog figures). */
  moving(cameraId: number): boolean {
    return this.motions.has(cameraId);
  }

  /** A visible PTZ camera with an ONVIF address, and the caller as a controller; 404 outside the scope, 409 without PTZ. */
  private async context(caller: PtzCaller, cameraId: number): Promise<Context> {
    const camera = await this.deps.cameras.visible(caller.scopePath, cameraId);
    if (!camera.ptz) throw new ConflictError(`camera ${cameraId} has no PTZ (pan/tilt/zoom)`);
    const target = await this.deps.repos.cameras.ptzTarget(cameraId);
    if (!target) throw new NotFoundError(`Camera ${cameraId}`);
    if (target.sourceKind !== 'onvif' || !/^https?:\/\//.test(target.xaddr)) {
      throw new ConflictError(`camera ${cameraId} has no ONVIF device address to steer it through`);
    }
    const unit = await this.deps.repos.orgUnits.byId(caller.orgUnitId);
    return {
      cameraId, orgUnitId: camera.orgUnitId, orgPath: camera.orgPath, username: caller.username,
      target: { cameraId, xaddr: target.xaddr, username: target.username, password: target.password },
      controller: { userId: caller.id, name: caller.displayName || caller.username, level: ptzLevel(unit?.level ?? 'village') },
    };
  }

  private live(cameraId: number): Session | undefined {
    const s = this.sessions.get(cameraId);
    return s && !lockExpired(s.holder, this.now()) ? s : undefined;
  }

  /**
   * The lock for this command (or the take-over button). The decision and the map update happen with no await in
   * between, so two callers racing for a free camera cannot both win.
   */
  private async acquire(ctx: Context, takeOver: boolean, ip: string): Promise<Session> {
    const current = this.sessions.get(ctx.cameraId);
    const d = decideLock(current?.holder, ctx.controller, this.now(), takeOver);
    if (d.kind === 'refused') {
      throw d.reason === 'not-higher'
        ? new ConflictError(`${d.holder.name} (${d.holder.level}) is steering camera ${ctx.cameraId}; only a higher level may take over`)
        : this.heldBy(d.holder);
    }
    if (current && !d.previous) {
      current.holder = d.holder;
      return current;
    }
    const s: Session = {
      holder: d.holder, username: ctx.username, cameraId: ctx.cameraId, orgUnitId: ctx.orgUnitId, orgPath: ctx.orgPath,
      target: ctx.target, presetsUsed: [], moves: 0, watchdogStops: 0,
    };
    this.sessions.set(ctx.cameraId, s);
    if (current && d.previous) {
      // The previous controller's held key must not keep steering for the new one: stop the head now.
      if (d.previous.reason === 'taken-over' && this.motions.delete(ctx.cameraId)) {
        await this.deps.driver.stop(ctx.target).catch((err) => this.deps.log.warn({ err, cameraId: ctx.cameraId }, 'ptz stop on take-over failed'));
      }
      await this.end(current, d.previous.reason, s, ip);
    } else {
      await this.publishLock(s, 'take', null);
    }
    return s;
  }

  private heldBy(holder: PtzHolder): ConflictError {
    return new ConflictError(`${holder.name} is steering this camera (free ${Math.ceil(LOCK_IDLE_MS / 1000)} s after their last command)`);
  }

  /** Ends a control session: its audit row (who, camera, start, end, presets used) and the lock event. */
  private async end(s: Session, reason: 'release' | 'idle' | 'taken-over', next: Session | null, ip: string | null): Promise<void> {
    const endedAt = reason === 'idle' ? s.holder.lastActive + LOCK_IDLE_MS : this.now();
    await atomically(this.deps.db, this.deps.publisher, async (tx, publish) => {
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: s.holder.userId, actorName: s.username, action: 'ptz.session', targetType: 'camera', targetId: s.cameraId,
        orgUnitId: s.orgUnitId, ip: reason === 'release' ? ip : null,
        detail: {
          start: new Date(s.holder.since).toISOString(), end: new Date(endedAt).toISOString(), ended: reason,
          takenBy: next && reason === 'taken-over' ? next.holder.name : undefined,
          presetsUsed: s.presetsUsed, moves: s.moves, watchdogStops: s.watchdogStops,
        },
      }, tx);
      if (next && reason === 'taken-over') {
        await this.deps.repos.audit.record({
          actorType: 'user', actorId: next.holder.userId, actorName: next.username, action: 'ptz.take-over', targetType: 'camera', targetId: s.cameraId,
          orgUnitId: s.orgUnitId, ip, detail: { from: s.holder.name, fromUserId: s.holder.userId, fromLevel: s.holder.level, level: next.holder.level },
        }, tx);
      }
      await this.publishIn(tx, publish, next ?? s, next ? (reason === 'taken-over' ? 'take-over' : 'take') : reason === 'idle' ? 'idle' : 'release',
        next ? next.holder : null, { userId: s.holder.userId, name: s.holder.name });
    });
  }

  private publishLock(s: Session, reason: PtzLockEvent['reason'], previous: PtzLockEvent['previous']): Promise<void> {
    return atomically(this.deps.db, this.deps.publisher, (tx, publish) => this.publishIn(tx, publish, s, reason, s.holder, previous));
  }

  private async publishIn(
    _tx: Queryable, publish: Parameters<Parameters<typeof atomically>[2]>[1], s: Session, reason: PtzLockEvent['reason'],
    holder: PtzHolder | null, previous: PtzLockEvent['previous'],
  ): Promise<void> {
    await publish(s.orgPath, 'ptz:lock', { cameraId: s.cameraId, orgUnitId: s.orgUnitId, holder: holder && info(holder), reason, previous });
  }

  private async audit(ctx: Context, action: 'ptz.preset-save' | 'ptz.preset-delete', detail: Record<string, unknown>, ip: string): Promise<void> {
    await this.deps.repos.audit.record({
      actorType: 'user', actorId: ctx.controller.userId, actorName: ctx.username, action, targetType: 'camera', targetId: ctx.cameraId,
      orgUnitId: ctx.orgUnitId, ip, detail,
    });
  }

  private stateFor(ctx: Context): PtzLockState {
    const s = this.live(ctx.cameraId);
    const now = this.now();
    return {
      cameraId: ctx.cameraId,
      holder: s ? info(s.holder) : null,
      mine: !!s && s.holder.userId === ctx.controller.userId,
      canTakeOver: canTakeOver(s?.holder, ctx.controller, now),
    };
  }

  /** The watchdog (a silent controller's move is stopped) and the idle sweep (a lock unused for 60 s ends). */
  private async tick(): Promise<void> {
    const now = this.now();
    this.runTours(now);
    for (const [cameraId, m] of this.motions) {
      if (!silentTooLong(m.lastMoveAt, now)) continue;
      this.motions.delete(cameraId);
      const s = this.sessions.get(cameraId);
      if (s) s.watchdogStops++;
      this.deps.driver.stop(m.target).catch((err) => this.deps.log.warn({ err, cameraId }, 'ptz watchdog stop failed'));
    }
    for (const [cameraId, s] of this.sessions) {
      if (!lockExpired(s.holder, now)) continue;
      this.sessions.delete(cameraId);
      await this.end(s, 'idle', null, null).catch((err) => this.deps.log.warn({ err, cameraId }, 'ptz idle session end failed'));
    }
  }
}

function info(h: PtzHolder): PtzHolderInfo {
  return {
    userId: h.userId, name: h.name, level: h.level,
    since: new Date(h.since).toISOString(), expiresAt: new Date(h.lastActive + LOCK_IDLE_MS).toISOString(),
  };
}
