// Maintenance tickets (运维工单) as use cases: the sweep that opens a ticket for a camera dark past the threshold
// and ends it when health checks see the camera again, the entry point other features call for 画面异常 (a
// patrol, a user), the maintaining side's actions, and who maintains each network. Framework-free: the plugin
// (server/plugins/maintenance.ts) hands in the database, repositories, publisher and a "check this camera now".
// Every change is written with its audit row and its 'ticket:changed' event in one transaction (atomically()).
import type { Role } from '../contracts/api';
import type { TicketChangedEvent } from '../contracts/events';
import type { Maintainer, MaintainerBody, Ticket, TicketAction, TicketActionBody, TicketList, TicketOrigin, TicketQuery } from '../contracts/maintenance';
import { atomically, type Publish, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { TicketRecord } from '../db/repositories/maintenance';
import type { AuditAction } from '../audit/actions';
import { inScope } from '../domain/scope';
import { fixedAccepted, TICKET_ACTION_BY, ticketTransition } from '../domain/ticket-workflow';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';

export interface MaintenanceDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  /** Minutes offline before a ticket opens. */
  offlineMinutes: () => number;
  /** Checks the camera now (and records the status); true when it answered. */
  checkNow: (cameraId: number) => Promise<boolean>;
}

export interface TicketCaller {
  id: number;
  username: string;
  role: Role;
  orgUnitId: number;
  scopePath: string;
}

/** Roles that act for the maintaining side (relay to the contractor, start, report fixed) and the centre's. */
const MAINTAINER_ROLES: readonly Role[] = ['admin', 'county_operator', 'township_officer'];
const CENTRE_ROLES: readonly Role[] = ['admin', 'county_operator'];
/** Tickets a sweep opens at most (a whole network going dark opens the rest on the next sweeps). */
const SWEEP_LIMIT = 2000;
const UNCONFIGURED = '未配置运维单位';

const AUDIT: Record<TicketAction | 'open', AuditAction> = {
  open: 'maintenance.ticket-open',
  start: 'maintenance.ticket-start',
  fixed: 'maintenance.ticket-fixed',
  online: 'maintenance.ticket-recovered',
  close: 'maintenance.ticket-close',
};

export class MaintenanceService {
  constructor(private readonly deps: MaintenanceDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  private atomically<T>(work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
    return atomically(this.deps.db, this.deps.publisher, work);
  }

  private async publishChange(tx: Queryable, publish: Publish, t: TicketRecord, action: TicketChangedEvent['action'], actor: string, at: string): Promise<void> {
    const now = (await this.repos.maintenance.byId(t.id, tx))!;
    await publish(now.orgPath, 'ticket:changed', {
      ticketId: now.id, cameraId: now.cameraId, cameraName: now.cameraName, orgUnitId: now.orgUnitId, network: now.network,
      state: now.state, origin: now.origin, action, unitName: now.unitName, actor, at,
    });
  }

  private async audit(tx: Queryable, t: TicketRecord, action: TicketAction | 'open', actor: TicketCaller | null, detail: Record<string, unknown>, ip?: string): Promise<void> {
    await this.repos.audit.record({
      actorType: actor ? 'user' : 'system', actorId: actor?.id ?? null, actorName: actor?.username ?? 'system', action: AUDIT[action],
      targetType: 'maintenance_ticket', targetId: t.id, orgUnitId: t.orgUnitId, detail: { cameraId: t.cameraId, ...detail }, ip: ip ?? null,
    }, tx);
  }

  /**
   * Opens a ticket for a camera, or returns the one already open (at most one per camera: a second report adds
   * nothing but noise). The entry point for 画面异常 from a patrol or a user (`origin: 'picture'`, a note), and for
   * the sweep (`'offline'`, the check's failure as reason). `caller` null: the system. Scope is the caller's job
   * for users (see openByUser).
   */
  async openForCamera(cameraId: number, origin: TicketOrigin, opts: { note?: string; reason?: string | null; caller?: TicketCaller | null; ip?: string } = {}): Promise<{ ticket: Ticket; created: boolean }> {
    const { id, created } = await this.atomically(async (tx, publish) => {
      const existing = await this.repos.maintenance.openFor(cameraId, tx);
      if (existing) return { id: existing.id, created: false };
      const camera = await this.repos.cameras.byId(cameraId, tx);
      if (!camera) throw new NotFoundError(`Camera ${cameraId}`, 'cameraId');
      const m = await this.repos.maintenance.maintainer(camera.network, tx);
      const at = new Date().toISOString();
      const by = opts.caller?.username ?? 'system';
      const ticketId = await this.repos.maintenance.insert({
        cameraId, cameraName: camera.name, network: camera.network, orgUnitId: camera.orgUnitId, orgPath: camera.orgPath, origin,
        reason: opts.reason ?? (origin === 'offline' ? camera.statusReason : null), note: opts.note ?? '',
        unitName: m?.unitName || UNCONFIGURED, contact: m?.contact ?? '', phone: m?.phone ?? '', openedBy: by, at,
      }, tx);
      const t = (await this.repos.maintenance.byId(ticketId, tx))!;
      await this.audit(tx, t, 'open', opts.caller ?? null, { origin, unitName: t.unitName, reason: t.reason }, opts.ip);
      await this.publishChange(tx, publish, t, 'open', by, at);
      return { id: ticketId, created: true };
    });
    return { ticket: (await this.repos.maintenance.present(id))!, created };
  }

  /** 画面异常 reported by a user on a camera they can see. */
  async openByUser(caller: TicketCaller, cameraId: number, note: string, ip: string): Promise<{ ticket: Ticket; created: boolean }> {
    const camera = await this.repos.cameras.byId(cameraId);
    if (!camera || !inScope(caller.scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`, 'cameraId');
    return this.openForCamera(cameraId, 'picture', { note, caller, ip });
  }

  /**
   * One pass: tickets for cameras dark past the threshold, 已恢复 for outage tickets whose camera a health check
   * (or a relay) saw online, and closing the open tickets of deleted cameras; open tickets of a camera moved to
   * another unit follow it (an org subtree move rewrites them with the other paths). Returns what it did.
   */
  async sweep(now = new Date()): Promise<{ opened: number; recovered: number; closed: number }> {
    const before = new Date(now.getTime() - this.deps.offlineMinutes() * 60_000).toISOString();
    let opened = 0;
    for (const camera of await this.repos.maintenance.dark(before, SWEEP_LIMIT)) {
      try {
        if ((await this.openForCamera(camera.id, 'offline', { reason: camera.reason })).created) opened++;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err; // deleted meanwhile
      }
    }
    await this.repos.maintenance.followMoves();
    const { online, gone } = await this.repos.maintenance.settled();
    let recovered = 0;
    for (const t of online) if (await this.systemMove(t, 'online', '')) recovered++;
    let closed = 0;
    for (const t of gone) if (await this.systemMove(t, 'close', '摄像机已删除')) closed++;
    return { opened, recovered, closed };
  }

  private systemMove(t: TicketRecord, action: 'online' | 'close', note: string): Promise<boolean> {
    const to = ticketTransition(t.state, action);
    if (!to) return Promise.resolve(false);
    return this.atomically(async (tx, publish) => {
      const at = new Date().toISOString();
      if (!(await this.repos.maintenance.move(t.id, t.state, to, at, 'system', note || undefined, tx))) return false;
      await this.audit(tx, t, action, null, { from: t.state, to });
      await this.publishChange(tx, publish, t, action, 'system', at);
      return true;
    });
  }

  /** The maintaining side's and the centre's actions on a ticket in their area. */
  async act(caller: TicketCaller, id: number, body: TicketActionBody, ip: string): Promise<Ticket> {
    const t = await this.repos.maintenance.byId(id);
    if (!t || !inScope(caller.scopePath, t.orgPath)) throw new NotFoundError(`Ticket ${id}`);
    const allowed = TICKET_ACTION_BY[body.action] === 'centre' ? CENTRE_ROLES : MAINTAINER_ROLES;
    if (!allowed.includes(caller.role)) throw new ForbiddenError(`${body.action} is for ${allowed.join(', ')}`);
    if (body.action === 'close' && !body.note?.trim()) throw new BadRequestError('a note is required to close a ticket', 'note');
    const to = ticketTransition(t.state, body.action);
    if (!to) throw new ConflictError(`Ticket ${id} is ${t.state}; ${body.action} is not possible`);
    // "Fixed" is verified: an outage ticket ends only if the camera answers a check made now.
    if (body.action === 'fixed' && !fixedAccepted(t.origin, await this.deps.checkNow(t.cameraId))) {
      throw new ConflictError('the camera still does not answer a health check; the ticket stays open');
    }
    await this.atomically(async (tx, publish) => {
      const at = new Date().toISOString();
      if (!(await this.repos.maintenance.move(t.id, t.state, to, at, caller.username, body.note, tx))) {
        throw new ConflictError(`Ticket ${id} changed meanwhile; reload it`);
      }
      await this.audit(tx, t, body.action, caller, { from: t.state, to, ...(body.note ? { note: body.note } : {}) }, ip);
      await this.publishChange(tx, publish, t, body.action, caller.username, at);
    });
    return (await this.repos.maintenance.present(id))!;
  }

  list(caller: TicketCaller, q: TicketQuery): Promise<TicketList> {
    return this.repos.maintenance.list(caller.scopePath, q);
  }

  async get(caller: TicketCaller, id: number): Promise<Ticket> {
    const t = await this.repos.maintenance.byId(id);
    if (!t || !inScope(caller.scopePath, t.orgPath)) throw new NotFoundError(`Ticket ${id}`);
    return (await this.repos.maintenance.present(id))!;
  }

  maintainers(): Promise<Maintainer[]> {
    return this.repos.maintenance.maintainers();
  }

  async setMaintainer(caller: TicketCaller, network: string, body: MaintainerBody, ip: string): Promise<Maintainer> {
    return this.atomically(async (tx) => {
      const before = await this.repos.maintenance.maintainer(network, tx);
      if (!before) throw new NotFoundError(`Network ${network}`, 'network');
      await this.repos.maintenance.setMaintainer(network, body, new Date().toISOString(), tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'maintenance.maintainer-update',
        targetType: 'network', targetId: null, orgUnitId: caller.orgUnitId, detail: { network, ...body }, ip,
      }, tx);
      return (await this.repos.maintenance.maintainer(network, tx))!;
    });
  }
}
