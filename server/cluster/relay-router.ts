// Where a live stream is served from (issue #22, "each stream pulled once in the cluster"). On SQLite (one node) the
// answer is always "here", and this is a pass-through to CameraRelays. On PostgreSQL each (camera, stream) relay is
// held by one node through a lease (db/repositories/relay-leases.ts): the owner pulls the camera and serves its
// playlist and segments; any other node asked for that stream fetches them from the owner's internal routes
// (routes/internal) with the cluster secret, so the camera sees one RTSP session however many nodes have viewers.
// Framework-free: the live routes (scope, audit) call it; the cluster plugin wires it.
import type { BlockUntil, ServedFile } from '../media/live-window';
import type { CameraRelays, StreamKind } from '../media/camera-relays';
import { relayIdOf } from '../media/camera-relays';
import type { RelayId } from '../media/types';
import type { RelayLease, RelayLeaseRepository, RelayNode } from '../db/repositories/relay-leases';
import { ProxyCache } from './proxy-cache';

/** Header carrying the cluster secret on node-to-node requests. */
export const CLUSTER_SECRET_HEADER = 'x-cluster-secret';
/** The viewer's key, passed to the owner so its relay counts distinct viewers across nodes. */
export const VIEWER_KEY_HEADER = 'x-viewer-key';

export interface ClusterNode {
  nodeId: string;
  /** Where the other nodes reach this one's internal routes. */
  url: string;
  secret: string;
  maxRelays: number;
}

export interface RelayRouterOptions {
  relays: CameraRelays;
  /** Absent on SQLite: one node, every stream served here. */
  leases?: RelayLeaseRepository;
  /** A lease lives this long after its last renewal; failover after an owner dies takes up to this plus a start. */
  leaseTtlMs?: number;
  /** How often a node renews all its leases (one statement). */
  heartbeatMs?: number;
  /** How long a remote owner found in the database is trusted before asking again. */
  ownerCacheMs?: number;
  /** A proxied request (a first playlist waits for the relay to start; a blocking reload up to a few seconds). */
  proxyTimeoutMs?: number;
  log?: { warn(obj: object, msg: string): void };
}

/** The owner of a stream was asked and could not serve it (unreachable, or its lease not yet expired after it
 * died). The live route answers 503 with a short Retry-After: the next poll finds the new owner. */
export class RelayOwnerUnavailableError extends Error {
  constructor(readonly nodeId: string, readonly cause?: unknown) {
    super(`Relay node ${nodeId} is not reachable`);
  }
}

/** The owner answered with an error of its own (camera unavailable 502, relay cap 503, …): passed on as is. */
export class RemoteRelayError extends Error {
  constructor(readonly status: number, message: string, readonly retryAfter?: string) {
    super(message);
  }
}

/** Another node holds the lease: thrown by the internal routes' serveHere when this node was asked but lost the race. */
export class NotOwnerError extends Error {
  constructor(readonly owner: RelayLease | undefined) {
    super(`Relay held by ${owner?.nodeId ?? 'nobody'}`);
  }
}

type Where = { local: true } | { local: false; nodeId: string; url: string };
const HERE: Where = { local: true };

export interface ClusterStatus {
  nodeId: string;
  clustered: boolean;
  nodes: RelayNode[];
  leases: RelayLease[];
}

export class RelayRouter {
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private readonly ownerCacheMs: number;
  private readonly proxyTimeoutMs: number;
  /** Relays whose lease this node holds (renewed by the heartbeat). */
  private readonly owned = new Set<RelayId>();
  /** Remote owners recently found, so a wall's polls do not each ask the database. */
  private readonly owners = new Map<RelayId, { where: Where; at: number }>();
  /** One lookup/acquire per relay at a time on this node. */
  private readonly locating = new Map<RelayId, Promise<Where>>();
  /** Leases being claimed for pinned (recorded) relays. */
  private readonly claiming = new Set<RelayId>();
  /** Playlists and segments fetched from owners, shared by this node's viewers (proxy-cache.ts). */
  private readonly proxied = new ProxyCache();
  private node: ClusterNode | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastBeatOk = 0;
  /** A heartbeat still waiting for the database: the next tick is skipped rather than stacked behind it. */
  private beating = false;

  constructor(private readonly o: RelayRouterOptions) {
    this.ttlMs = o.leaseTtlMs ?? 3_000;
    this.heartbeatMs = o.heartbeatMs ?? 1_000;
    this.ownerCacheMs = o.ownerCacheMs ?? 1_000;
    this.proxyTimeoutMs = o.proxyTimeoutMs ?? 15_000;
    // A relay that stops here (idle, camera gone, failed to start) gives its lease up at once, so the next viewer
    // anywhere places it afresh instead of waiting for the lease to expire.
    o.relays.on('ended', (relayId) => {
      if (!this.owned.delete(relayId) || !this.node || !o.leases) return;
      o.leases.release(relayId, this.node.nodeId).catch((err) => o.log?.warn({ err, relayId }, 'could not release a relay lease'));
    });
  }

  /** Leases are used once this node knows where it is reached (after listen) and only on PostgreSQL. */
  get clustered(): boolean {
    return !!this.node && !!this.o.leases;
  }

  get nodeId(): string | undefined {
    return this.node?.nodeId;
  }

  /**
   * Whether a viewer-less (recorded) relay may run here now — the relay manager's pin gate. On one node: always. On
   * a cluster: only where this node holds the lease. A free lease is claimed in the background and the recorder's
   * next round (every few seconds) starts the relay; a lease held elsewhere means that node pulls the camera, and its
   * own recorder (every node knows every plan) records it. When the holder dies its lease expires and the first
   * node to ask again takes over the recording. First come, first served: recorded cameras are not spread by load.
   */
  mayPin(relayId: RelayId): boolean {
    if (!this.clustered || this.owned.has(relayId)) return true;
    if (!this.claiming.has(relayId)) {
      this.claiming.add(relayId);
      const me = this.node!;
      this.o.leases!.acquire(relayId, me.nodeId, me.url, this.ttlMs)
        .then((lease) => { if (lease.nodeId === me.nodeId) this.owned.add(relayId); })
        .catch((err) => this.o.log?.warn({ err, relayId }, 'could not claim a recorded relay'))
        .finally(() => this.claiming.delete(relayId));
    }
    return false;
  }

  /** Join the cluster: heartbeat now (so placement sees this node) and every heartbeatMs. */
  async start(node: ClusterNode): Promise<void> {
    this.node = node;
    if (!this.o.leases) return;
    // Recorded relays pinned before this node joined ran as on one node: each now needs its lease, or goes to the
    // node that holds it (which records it there).
    const manager = this.o.relays.manager;
    for (const { relayId } of manager.list()) {
      if (!manager.isPinned(relayId)) continue;
      const lease = await this.o.leases.acquire(relayId, node.nodeId, node.url, this.ttlMs);
      if (lease.nodeId === node.nodeId) this.owned.add(relayId);
      else manager.stop(relayId);
    }
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  /** Leave: stop renewing and hand every lease back at once (a clean shutdown fails over without waiting). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const node = this.node;
    if (!node || !this.o.leases) return;
    this.owned.clear();
    await this.o.leases.leave(node.nodeId).catch((err) => this.o.log?.warn({ err }, 'could not leave the relay cluster'));
  }

  /** The live playlist of a camera's stream: from the relay here, or from the node that owns it. */
  async playlist(cameraId: number, viewerKey: string, stream: StreamKind, until?: BlockUntil): Promise<string> {
    const relayId = relayIdOf(cameraId, stream);
    for (let attempt = 0; ; attempt++) {
      const where = await this.locate(relayId);
      if (where.local) return this.o.relays.playlist(cameraId, viewerKey, stream, until);
      try {
        // One request to the owner per playlist version for all this node's viewers: the owner counts the viewer
        // whose poll fetched it (its idle timer only needs some poll), so its viewer count undercounts remote ones.
        const key = `${where.nodeId}|${relayId}|${until ? `${until.msn}.${until.part ?? ''}` : ''}`;
        return await this.proxied.playlist(key, () => this.remotePlaylist(where, relayId, viewerKey, until));
      } catch (err) {
        this.owners.delete(relayId);
        // The node asked did not take it (another won the race), or the owner went away: look once more.
        if (attempt === 0 && (err instanceof NotOwnerError || err instanceof RelayOwnerUnavailableError)) continue;
        throw err;
      }
    }
  }

  /** A segment of a camera's stream, from here or the owner; undefined when it is not (or no longer) there. */
  async segment(cameraId: number, name: string, stream: StreamKind): Promise<ServedFile | undefined> {
    const relayId = relayIdOf(cameraId, stream);
    const local = this.o.relays.segment(cameraId, name, stream);
    if (local || !this.clustered || this.owned.has(relayId)) return local;
    // A segment never places a relay: only a playlist does. The owner is whoever holds the lease now.
    const cached = this.owners.get(relayId);
    let where = cached && Date.now() - cached.at < this.ownerCacheMs ? cached.where : undefined;
    if (!where) {
      const lease = await this.o.leases!.live(relayId);
      if (!lease || lease.nodeId === this.node!.nodeId) return undefined;
      where = { local: false, nodeId: lease.nodeId, url: lease.nodeUrl };
      this.owners.set(relayId, { where, at: Date.now() });
    }
    if (where.local) return undefined;
    const owner = where;
    return this.proxied.segment(`${owner.nodeId}|${relayId}|${name}`, () => this.remoteSegment(owner, relayId, name));
  }

  /**
   * The internal routes' side: another node asks this one for a relay. Serve it here if this node holds the lease
   * or can take it (placement sent the request here); NotOwnerError if another node holds it.
   */
  async servePlaylist(relayId: RelayId, viewerKey: string | undefined, until?: BlockUntil): Promise<string> {
    if (this.clustered && !this.owned.has(relayId)) {
      const lease = await this.o.leases!.acquire(relayId, this.node!.nodeId, this.node!.url, this.ttlMs);
      if (lease.nodeId !== this.node!.nodeId) throw new NotOwnerError(lease.nodeId ? lease : undefined);
      this.owned.add(relayId);
    }
    return this.o.relays.manager.playlist(relayId, viewerKey, until);
  }

  serveSegment(relayId: RelayId, name: string): ServedFile | undefined {
    return this.o.relays.manager.segment(relayId, name);
  }

  async status(): Promise<ClusterStatus> {
    const nodeId = this.node?.nodeId ?? '';
    if (!this.clustered) {
      const running = this.o.relays.size;
      return { nodeId, clustered: false, nodes: [{ nodeId, url: this.node?.url ?? '', relays: running, leases: 0, maxRelays: this.node?.maxRelays ?? 0, alive: true }], leases: [] };
    }
    const [nodes, leases] = await Promise.all([this.o.leases!.nodes(), this.o.leases!.leases()]);
    return { nodeId, clustered: true, nodes, leases };
  }

  /** Whose relay this is: here (taking the lease if it is free and placement picks this node) or a remote owner. */
  private locate(relayId: RelayId): Promise<Where> {
    if (!this.clustered || this.owned.has(relayId)) return Promise.resolve(HERE);
    const cached = this.owners.get(relayId);
    if (cached && Date.now() - cached.at < this.ownerCacheMs) return Promise.resolve(cached.where);
    let pending = this.locating.get(relayId);
    if (!pending) {
      pending = this.lookUp(relayId).finally(() => this.locating.delete(relayId));
      this.locating.set(relayId, pending);
    }
    return pending;
  }

  private async lookUp(relayId: RelayId): Promise<Where> {
    const leases = this.o.leases!;
    const me = this.node!;
    let lease = await leases.live(relayId);
    if (!lease) {
      // Placement: the live node with the fewest live leases, under its cap; this node on a tie, which saves a hop
      // for the viewer who asked. Another node is not told to take the relay: the request is simply proxied to it
      // and its internal route takes the lease (servePlaylist), so there is one way a relay starts anywhere.
      // Counting leases rather than the heartbeat's relay count sees a placement made a moment ago.
      const nodes = (await leases.nodes()).filter((n) => n.alive && n.leases < n.maxRelays);
      const least = nodes.length ? Math.min(...nodes.map((n) => n.leases)) : 0;
      const pick = nodes.find((n) => n.nodeId === me.nodeId && n.leases === least) ?? nodes[0];
      if (pick && pick.nodeId !== me.nodeId) {
        const where: Where = { local: false, nodeId: pick.nodeId, url: pick.url };
        return where; // not cached: the lease is not taken yet
      }
      // This node, or no live node known (all at their cap: the local relay manager answers with its own limit).
      lease = await leases.acquire(relayId, me.nodeId, me.url, this.ttlMs);
    }
    if (lease.nodeId === me.nodeId) {
      this.owned.add(relayId);
      return HERE;
    }
    if (!lease.nodeId) return this.lookUp(relayId); // the holder's lease expired between two reads: try again
    const where: Where = { local: false, nodeId: lease.nodeId, url: lease.nodeUrl };
    this.owners.set(relayId, { where, at: Date.now() });
    return where;
  }

  private async remotePlaylist(where: Extract<Where, { local: false }>, relayId: RelayId, viewerKey: string, until?: BlockUntil): Promise<string> {
    const query = new URLSearchParams();
    if (until) {
      query.set('_HLS_msn', String(until.msn));
      if (until.part !== undefined) query.set('_HLS_part', String(until.part));
    }
    const qs = query.size ? `?${query}` : '';
    const res = await this.fetchFrom(where, `/internal/relays/${relayId}/index.m3u8${qs}`, { [VIEWER_KEY_HEADER]: viewerKey });
    if (res.ok) return res.text();
    throw await this.failure(res, where);
  }

  private async remoteSegment(where: Extract<Where, { local: false }>, relayId: RelayId, name: string): Promise<ServedFile | undefined> {
    const res = await this.fetchFrom(where, `/internal/relays/${relayId}/${encodeURIComponent(name)}`, {});
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) throw await this.failure(res, where);
    const body = new Uint8Array(await res.arrayBuffer());
    return { body, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }

  private async fetchFrom(where: Extract<Where, { local: false }>, path: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(`${where.url}${path}`, {
        headers: { ...headers, [CLUSTER_SECRET_HEADER]: this.node!.secret },
        signal: AbortSignal.timeout(this.proxyTimeoutMs),
      });
    } catch (err) {
      throw new RelayOwnerUnavailableError(where.nodeId, err);
    }
  }

  private async failure(res: Response, where: Extract<Where, { local: false }>): Promise<Error> {
    const body = await res.json().catch(() => ({})) as { message?: string; owner?: RelayLease };
    if (res.status === 409) return new NotOwnerError(body.owner);
    if (res.status === 401) return new RelayOwnerUnavailableError(where.nodeId, new Error('cluster secret refused'));
    return new RemoteRelayError(res.status, body.message ?? `Relay node ${where.nodeId} answered ${res.status}`, res.headers.get('retry-after') ?? undefined);
  }

  /** Renew every lease held here in one statement; stop relays whose lease was lost, and all of them when the
   * database has not been reached for a lease lifetime (another node may be pulling them by now). */
  private async beat(): Promise<void> {
    const node = this.node;
    if (!node || this.beating) return;
    this.beating = true;
    const held = [...this.owned];
    try {
      const renewed = new Set(await this.o.leases!.heartbeat(node, held, this.o.relays.size, this.ttlMs));
      this.lastBeatOk = Date.now();
      for (const id of held) if (!renewed.has(id) && this.owned.delete(id)) this.o.relays.manager.stop(id);
    } catch (err) {
      this.o.log?.warn({ err }, 'relay lease heartbeat failed');
      if (this.lastBeatOk && Date.now() - this.lastBeatOk > this.ttlMs) {
        for (const id of [...this.owned]) {
          this.owned.delete(id);
          this.o.relays.manager.stop(id);
        }
      }
    } finally {
      this.beating = false;
    }
  }
}
