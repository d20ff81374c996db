// Run-once jobs across gateway nodes (issue #22): each job group (overdue scanner, health checks, maintenance sweep,
// recording retention) is led by one node at a time, the one holding the group's PostgreSQL session-level advisory
// lock (`pg_try_advisory_lock`). The lock lives on a dedicated connection per group, not on a pooled one: it is held
// for as long as that connection lives, so a node that exits, crashes or is killed with -9 frees it the moment its
// server process sees the socket close, and another node takes the group on its next try (every `retryMs`).
// Why per group and not one connection for all: the groups are independent, a connection lost mid-query costs only
// its own group, and groups spread over the nodes as they happen to win them.
//
// On SQLite there is one node: `LocalLeadership` leads every job from the start (behaviour unchanged).
// Framework-free; server/plugins/cluster.ts wires it.
import pg from 'pg';

export interface LeaderJob {
  readonly name: string;
  /** Whether this node runs the job now. Periodic jobs ask at each tick. */
  isLeader(): boolean;
  /** Called when this node becomes the leader (at once when it already is). */
  onGain(fn: () => void | Promise<void>): void;
  /** Called when this node stops leading (lost connection, shutdown). */
  onLose(fn: () => void | Promise<void>): void;
  /** Runs of the job's work on this node (periodic() counts them): for status and for the tests' "once per cycle". */
  readonly runs: number;
  noteRun(): void;
}

export interface JobLeader {
  job: string;
  /** The node that holds the job's lock, null while nobody does (between a leader's death and the next try). */
  leader: string | null;
  /** Whether that node is this one. */
  here: boolean;
  /** Runs of the job on this node since it started. */
  runsHere: number;
}

export interface Leadership {
  readonly nodeId: string;
  job(name: string): LeaderJob;
  /** Who leads each job that this node has asked for. */
  status(): Promise<JobLeader[]>;
  /** Resolves once every job asked for so far has had its first try at the lock (the app awaits it when ready,
   * so a lone node leads from its first request on). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

type Listener = () => void | Promise<void>;

/** Shared bookkeeping of a job's listeners; `onError` sees a listener that throws. */
class JobState implements LeaderJob {
  leader = false;
  runs = 0;
  private readonly gains: Listener[] = [];
  private readonly losses: Listener[] = [];

  constructor(readonly name: string, private readonly onError: (err: unknown) => void) {}

  isLeader(): boolean {
    return this.leader;
  }

  noteRun(): void {
    this.runs++;
  }

  onGain(fn: Listener): void {
    this.gains.push(fn);
    if (this.leader) this.call(fn);
  }

  onLose(fn: Listener): void {
    this.losses.push(fn);
  }

  set(leader: boolean): void {
    if (leader === this.leader) return;
    this.leader = leader;
    for (const fn of leader ? this.gains : this.losses) this.call(fn);
  }

  private call(fn: Listener) {
    try {
      void Promise.resolve(fn()).catch(this.onError);
    } catch (err) {
      this.onError(err);
    }
  }
}

/** One node (SQLite): this node leads every job. */
export class LocalLeadership implements Leadership {
  private readonly jobs = new Map<string, JobState>();

  constructor(readonly nodeId: string, private readonly onError: (err: unknown) => void = () => undefined) {}

  job(name: string): LeaderJob {
    let job = this.jobs.get(name);
    if (!job) {
      job = new JobState(name, this.onError);
      job.set(true);
      this.jobs.set(name, job);
    }
    return job;
  }

  async status(): Promise<JobLeader[]> {
    return [...this.jobs].map(([job, state]) => ({ job, leader: this.nodeId, here: true, runsHere: state.runs }));
  }

  async settled(): Promise<void> {}

  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.set(false);
  }
}

/** Our advisory keys: a fixed high word ("cv") and a 32-bit FNV-1a hash of the job's name, so names need no registry. */
const KEY_CLASS = 0x6376;
export function jobLockKey(name: string): { key: number; classid: number; objid: number } {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(`cvc-job:${name}`)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return { key: KEY_CLASS * 2 ** 32 + h, classid: KEY_CLASS, objid: h };
}

/** application_name of the lock connections: how status() learns which node holds a lock (pg_stat_activity). */
const APP_PREFIX = 'cvc-leader:';

export interface PostgresLeadershipOptions {
  url: string;
  nodeId: string;
  /** How often a node that does not lead tries the lock, and a leader checks its connection (default 1000 ms). */
  retryMs?: number;
  /** Reads rows on the app's pool (status). */
  query<T>(sql: string, params: number[]): Promise<T[]>;
  onError?: (err: unknown) => void;
}

class PostgresJob extends JobState {
  private client: pg.Client | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;
  private tried!: () => void;
  /** Resolves after the first try at the lock, won or not (or failed to connect). */
  readonly firstTry = new Promise<void>((resolve) => (this.tried = resolve));
  readonly lock: ReturnType<typeof jobLockKey>;

  constructor(name: string, private readonly o: PostgresLeadershipOptions) {
    super(name, o.onError ?? (() => undefined));
    this.lock = jobLockKey(name);
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        const client = this.client ?? (await this.connect());
        if (this.closed) break;
        if (!this.leader) {
          const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [this.lock.key]);
          if (rows[0]?.ok && !this.closed) this.set(true);
        } else {
          // A leader checks that its session (and so its lock) is still there: a query that fails or times out
          // means the lock may already be another node's.
          await client.query('SELECT 1');
        }
      } catch (err) {
        this.set(false);
        this.drop();
        if (!this.closed) this.o.onError?.(err);
      }
      this.tried();
      if (this.closed) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.retryMs ?? 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.o.url,
      application_name: `${APP_PREFIX}${this.o.nodeId}`.slice(0, 63),
      keepAlive: true,
      // A dead peer must not hang the loop: the leader would go on believing it leads.
      query_timeout: Math.max(2000, 3 * (this.o.retryMs ?? 1000)),
      connectionTimeoutMillis: 5000,
    });
    // An error on an idle connection (server restart, killed backend): lose the lead now, reconnect on the next try.
    client.on('error', (err) => {
      if (this.client !== client) return;
      this.set(false);
      this.drop();
      if (!this.closed) this.o.onError?.(err);
    });
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      if (this.client === client) this.client = undefined;
      throw err;
    }
    return client;
  }

  private drop() {
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.loop;
    this.tried();
    this.set(false);
    // Ending the session releases the lock; the next node's try takes it.
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

export class PostgresLeadership implements Leadership {
  private readonly jobs = new Map<string, PostgresJob>();

  constructor(private readonly o: PostgresLeadershipOptions) {}

  get nodeId(): string {
    return this.o.nodeId;
  }

  job(name: string): LeaderJob {
    let job = this.jobs.get(name);
    if (!job) {
      job = new PostgresJob(name, this.o);
      this.jobs.set(name, job);
    }
    return job;
  }

  async status(): Promise<JobLeader[]> {
    const out: JobLeader[] = [];
    for (const [name, job] of this.jobs) {
      // Advisory locks are per database: the lock row of this database whose holder's application_name names it.
      const [row] = await this.o.query<{ app: string }>(
        `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = ? AND l.objid::bigint = ?
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [job.lock.classid, job.lock.objid],
      );
      const leader = row?.app.startsWith(APP_PREFIX) ? row.app.slice(APP_PREFIX.length) : null;
      out.push({ job: name, leader, here: job.isLeader(), runsHere: job.runs });
    }
    return out;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.firstTry));
  }

  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((job) => job.close()));
  }
}

/**
 * Every `periodMs`, `work` on the node that leads `job`, one run at a time (a slow run, e.g. a backlog after downtime,
 * never overlaps the next tick). Every node keeps the timer, so the one that takes over starts at its next tick.
 * Returns the stop function (for preClose).
 */
export function periodic(job: LeaderJob, periodMs: number, work: () => Promise<void>, onError: (err: unknown) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (!job.isLeader() || running) return;
    running = true;
    job.noteRun();
    work().catch(onError).finally(() => (running = false));
  }, periodMs).unref();
  return () => clearInterval(timer);
}
