// Durability under kill -9: tag (danger with evidence) and dispatch writes against the real gateway process, the
// process SIGKILLed by PID at a random point while writes are in flight, restarted on the same data directory,
// and the database checked: every acknowledged write present, and nothing half-written anywhere (every danger has
// its evidence file with the right hash, its 'created' history row and audit row; every task its history row,
// audit row and the danger pointing at it). Writes that were in flight at the kill may or may not be there: they
// only have to be whole. The remaining writes then run on the restarted gateway and the check is repeated.
//
// Used by test/reliability/durability.test.ts (asserts) and scripts/bench/reliability/index.ts (full size, figures).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Database } from '../../../server/db/database';
import { loginHttp, postJson, spawnGateway, type GatewayProcess, type Session } from '../../../test/helpers/gateway-process';

const ROOT = resolve(import.meta.dirname, '../../..');
const FRAME = readFileSync(join(ROOT, 'test/dispatch/fixtures/frame.jpg'));
/** 东城街道 and its first village 东风村 (demo county codes): the county dispatches there. */
const TOWNSHIP_CODE = '339901002';
const VILLAGE_CODE = '339901002001';

export interface DurabilityOptions {
  writes: number;
  concurrency: number;
  /** Kill when this many writes have been started; default: random in [25 %, 75 %] of `writes`. */
  killAtWrite?: number;
  /** Hard limit for the whole run. */
  deadlineMs?: number;
}

export interface ConsistencyReport {
  dangers: number;
  tasks: number;
  /** Acknowledged (2xx with an id) and not found in the database: must be 0. */
  missing: number;
  /** Rows lacking a dependent row or file, or a file whose hash differs: must be 0. */
  halfWritten: number;
  problems: string[];
}

export interface DurabilityReport {
  writes: number;
  concurrency: number;
  killedAtWrite: number;
  acknowledgedBeforeKill: number;
  /** Started before the kill and never answered: may or may not be in the database. */
  inFlightAtKill: number;
  /** Of those, found (whole) in the database after the restart. */
  inFlightPresent: number;
  acknowledged: number;
  failed: number;
  afterRestart: ConsistencyReport;
  atEnd: ConsistencyReport;
  present: number;
  missing: number;
  halfWritten: number;
  restartMs: number;
  firstStartMs: number;
  durationMs: number;
}

/** The fixture frame with a comment segment naming the write, so every danger has its own evidence hash. */
function uniqueJpeg(n: number): Buffer {
  const text = Buffer.from(`durability write ${n}`);
  const com = Buffer.alloc(4);
  com[0] = 0xff;
  com[1] = 0xfe;
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([FRAME.subarray(0, 2), com, text, FRAME.subarray(2)]);
}

interface Acked {
  dangers: Map<number, string>; // id → expected evidence sha256
  tasks: Map<number, number>; // task id → danger id
}

interface Pending {
  kind: 'danger' | 'task';
  n: number;
  dangerId?: number;
  sha256?: string;
  /** Answered 2xx: a response already on its way when the kill landed still counts as acknowledged. */
  acked?: boolean;
}

/** `database`: the app's PostgreSQL URL when it runs on one (evidence files stay in dataDir either way). */
export async function checkConsistency(dataDir: string, acked: Acked, database = ''): Promise<ConsistencyReport> {
  const db = await Database.connect(database || join(dataDir, 'console.sqlite'));
  const problems: string[] = [];
  try {
    const dangers = await db.all<{ id: number; evidence_sha256: string; evidence_bytes: number; status: string; current_task_id: number | null }>(
      'SELECT id, evidence_sha256, evidence_bytes, status, current_task_id FROM dangers',
    );
    const tasks = await db.all<{ id: number; danger_id: number }>('SELECT id, danger_id FROM tasks');
    const history = await db.all<{ danger_id: number; task_id: number | null; action: string }>('SELECT danger_id, task_id, action FROM danger_history');
    const audit = await db.all<{ action: string; target_id: string }>(
      "SELECT action, target_id FROM audit_log WHERE action IN ('danger.create', 'dispatch.dispatch')",
    );
    const created = new Set(history.filter((h) => h.action === 'created').map((h) => h.danger_id));
    const dispatchedHistory = new Set(history.filter((h) => h.action === 'dispatch').map((h) => h.task_id));
    const auditDanger = new Set(audit.filter((a) => a.action === 'danger.create').map((a) => Number(a.target_id)));
    const auditTask = new Set(audit.filter((a) => a.action === 'dispatch.dispatch').map((a) => Number(a.target_id)));
    const taskByDanger = new Map(tasks.map((t) => [t.danger_id, t.id]));
    const dangerIds = new Set(dangers.map((d) => d.id));
    const taskIds = new Set(tasks.map((t) => t.id));

    for (const d of dangers) {
      if (!created.has(d.id)) problems.push(`danger ${d.id}: no 'created' history row`);
      if (!auditDanger.has(d.id)) problems.push(`danger ${d.id}: no audit row`);
      const file = join(dataDir, 'evidence', `${d.evidence_sha256}.jpg`);
      if (!existsSync(file)) problems.push(`danger ${d.id}: evidence file missing`);
      else {
        const bytes = readFileSync(file);
        if (bytes.length !== d.evidence_bytes || createHash('sha256').update(bytes).digest('hex') !== d.evidence_sha256) {
          problems.push(`danger ${d.id}: evidence file does not match its hash`);
        }
      }
      const task = taskByDanger.get(d.id);
      if (d.status === 'dispatched' && (task === undefined || d.current_task_id !== task)) problems.push(`danger ${d.id}: dispatched without its task`);
      if (d.status === 'reported' && (task !== undefined || d.current_task_id !== null)) problems.push(`danger ${d.id}: has a task but says reported`);
      const expected = acked.dangers.get(d.id);
      if (expected && expected !== d.evidence_sha256) problems.push(`danger ${d.id}: evidence hash differs from the one sent`);
    }
    for (const t of tasks) {
      if (!dangerIds.has(t.danger_id)) problems.push(`task ${t.id}: its danger ${t.danger_id} is missing`);
      if (!dispatchedHistory.has(t.id)) problems.push(`task ${t.id}: no 'dispatch' history row`);
      if (!auditTask.has(t.id)) problems.push(`task ${t.id}: no audit row`);
      const d = dangers.find((x) => x.id === t.danger_id);
      if (d && (d.current_task_id !== t.id || d.status !== 'dispatched')) problems.push(`task ${t.id}: danger ${d.id} does not point at it`);
    }
    const halfWritten = problems.length;
    let missing = 0;
    for (const id of acked.dangers.keys()) if (!dangerIds.has(id)) (missing++, problems.push(`acknowledged danger ${id} missing`));
    for (const [id, dangerId] of acked.tasks) {
      if (!taskIds.has(id)) (missing++, problems.push(`acknowledged task ${id} missing`));
      else if (tasks.find((t) => t.id === id)!.danger_id !== dangerId) problems.push(`task ${id}: belongs to another danger`);
    }
    return { dangers: dangers.length, tasks: tasks.length, missing, halfWritten, problems: problems.slice(0, 20) };
  } finally {
    await db.close();
  }
}

async function lookUpTargets(dataDir: string): Promise<{ cameraId: number; townshipId: number }> {
  const db = await Database.open(join(dataDir, 'console.sqlite'));
  try {
    const township = await db.get<{ id: number }>('SELECT id FROM org_units WHERE code = ?', [TOWNSHIP_CODE]);
    const village = await db.get<{ path: string }>('SELECT path FROM org_units WHERE code = ?', [VILLAGE_CODE]);
    const camera = await db.get<{ id: number }>("SELECT id FROM cameras WHERE org_path LIKE ? || '%' ORDER BY id LIMIT 1", [village!.path]);
    return { cameraId: camera!.id, townshipId: township!.id };
  } finally {
    await db.close();
  }
}

export async function runDurability(opts: DurabilityOptions): Promise<DurabilityReport> {
  const t0 = Date.now();
  const deadline = t0 + (opts.deadlineMs ?? 300_000);
  const killAt = opts.killAtWrite ?? Math.floor(opts.writes * (0.25 + Math.random() * 0.5));
  let gw: GatewayProcess = await spawnGateway();
  const firstStartMs = gw.startMs;
  const dataDir = gw.dataDir;
  try {
    const { cameraId, townshipId } = await lookUpTargets(dataDir);
    let session: Session = await loginHttp(gw.baseURL, 'county', 'county123');
    const acked: Acked = { dangers: new Map(), tasks: new Map() };
    const undispatched: number[] = [];
    let started = 0;
    let failed = 0;
    let killed = false;
    let killPromise: Promise<void> | null = null;
    const inFlight = new Set<Pending>();
    let lostAtKill: Pending[] = [];

    const one = async (n: number): Promise<void> => {
      const dispatch = undispatched.length > 0 && n % 2 === 1;
      const pending: Pending = dispatch ? { kind: 'task', n, dangerId: undispatched.shift()! } : { kind: 'danger', n };
      const base = gw.baseURL;
      const who = session;
      inFlight.add(pending);
      try {
        if (pending.kind === 'task') {
          const res = await postJson(base, who, `/api/dangers/${pending.dangerId}/dispatch`, { toUnitId: townshipId, note: `durability ${n}` });
          if (res.status === 201 && typeof res.body?.id === 'number') {
            acked.tasks.set(res.body.id, pending.dangerId!);
            pending.acked = true;
          } else failed++;
        } else {
          const jpeg = uniqueJpeg(n);
          pending.sha256 = createHash('sha256').update(jpeg).digest('hex');
          const res = await postJson(base, who, '/api/dangers', {
            cameraId, capturedAt: new Date().toISOString(), category: 'fire', severity: 'major', note: `durability ${n}`,
            evidenceJpeg: jpeg.toString('base64'),
          });
          if (res.status === 201 && typeof res.body?.id === 'number') {
            acked.dangers.set(res.body.id, pending.sha256);
            undispatched.push(res.body.id);
            pending.acked = true;
          } else failed++;
        }
        inFlight.delete(pending);
      } catch {
        // Connection reset or refused: the gateway died with this write in flight (unacknowledged).
        inFlight.delete(pending);
        if (!killed) failed++;
      }
    };

    // Phase 1 up to the kill, phase 2 (the rest) on the restarted gateway.
    const pump = async (until: number, onStart?: () => void) => {
      const worker = async () => {
        while (started < until && !killed && Date.now() < deadline) {
          const n = started++;
          const p = one(n);
          onStart?.();
          await p;
        }
      };
      await Promise.all(Array.from({ length: opts.concurrency }, worker));
    };
    await pump(opts.writes, () => {
      if (started >= killAt && !killed) {
        killed = true;
        lostAtKill = [...inFlight];
        // By PID, while the writes just started (and up to concurrency - 1 others) are in flight.
        killPromise = gw.kill9();
      }
    });
    await killPromise;
    // Only those never answered are in doubt.
    lostAtKill = lostAtKill.filter((p) => !p.acked);
    const acknowledgedBeforeKill = acked.dangers.size + acked.tasks.size;
    const killedAtWrite = started;

    const restartAt = Date.now();
    gw = await spawnGateway({ dataDir, port: gw.port });
    const restartMs = Date.now() - restartAt;
    const afterRestart = await checkConsistency(dataDir, acked);
    // In-flight dangers that did land count as present; their dispatches may have landed too.
    const db = await Database.open(join(dataDir, 'console.sqlite'));
    let inFlightPresent = 0;
    try {
      for (const p of lostAtKill) {
        if (p.kind === 'danger') {
          const row = await db.get('SELECT id FROM dangers WHERE evidence_sha256 = ?', [p.sha256 ?? '']);
          if (row) inFlightPresent++;
        } else {
          const row = await db.get('SELECT id FROM tasks WHERE danger_id = ?', [p.dangerId!]);
          if (row) inFlightPresent++;
        }
      }
    } finally {
      await db.close();
    }

    killed = false;
    session = await loginHttp(gw.baseURL, 'county', 'county123');
    // Dangers whose dispatch was lost stay reported; only dispatch those we know are still undispatched.
    await pump(opts.writes);
    await gw.stop();
    const atEnd = await checkConsistency(dataDir, acked);
    const acknowledged = acked.dangers.size + acked.tasks.size;
    return {
      writes: started,
      concurrency: opts.concurrency,
      killedAtWrite,
      acknowledgedBeforeKill,
      inFlightAtKill: lostAtKill.length,
      inFlightPresent,
      acknowledged,
      failed,
      afterRestart,
      atEnd,
      present: acknowledged - atEnd.missing,
      missing: Math.max(afterRestart.missing, atEnd.missing),
      halfWritten: Math.max(afterRestart.halfWritten, atEnd.halfWritten),
      restartMs,
      firstStartMs,
      durationMs: Date.now() - t0,
    };
  } finally {
    await gw.kill9().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
