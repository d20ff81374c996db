// Configuration: config/default.json, then an optional file named by CONSOLE_CONFIG, then environment variables.
// Validated once at boot; a bad value stops the start with a message naming the field.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const NetworkConfig = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9-]{1,31}$' }),
  name: Type.String({ minLength: 1 }),
  nameEn: Type.String({ minLength: 1 }),
  color: Type.String({ pattern: '^#[0-9a-fA-F]{6}$' }),
  /**
   * Device playback for cameras without ONVIF Profile G: an RTSP URL with the range in it, e.g.
   * `rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={startCompact}&endtime={endCompact}` (Hikvision).
   * {host}/{port} come from the camera's live RTSP URL; also {start}/{end} (ISO 8601). Credentials travel apart.
   */
  rtspPlaybackTemplate: Type.Optional(Type.String({ pattern: '^rtsps?://', maxLength: 500 })),
});

export const ConfigSchema = Type.Object({
  host: Type.String({ minLength: 1 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  dataDir: Type.String({ minLength: 1 }),
  /**
   * Where the data lives: empty for the embedded SQLite file <dataDir>/console.sqlite (the default), another path
   * for an SQLite file elsewhere, or a postgres:// URL for PostgreSQL (several gateways on one database, issue #22).
   * Keys and the setup token stay in dataDir either way.
   */
  database: Type.String(),
  /**
   * Behind a reverse proxy: which peers' X-Forwarded-For to believe, so request.ip (login throttle, audit rows) is
   * the browser's address rather than the proxy's. false: none; true: any peer (only when nothing else can reach the
   * port); or a comma-separated list of addresses/CIDRs, the proxy's own (the safe choice).
   */
  trustProxy: Type.Union([Type.Boolean(), Type.String({ minLength: 1 })]),
  /**
   * Several gateway nodes on one PostgreSQL database (issue #22). Ignored on SQLite (one node).
   * `nodeId` names this node in leases, leadership and status (empty: host name and port); `advertiseUrl` is where
   * the other nodes reach this one's internal routes (empty: http://<host>:<port>); `secret` authenticates those
   * node-to-node requests and must be the same on every node (empty: generated and kept in dataDir, which then has
   * to be copied to every node like the keys).
   */
  cluster: Type.Object({
    nodeId: Type.String({ maxLength: 64 }),
    advertiseUrl: Type.String(),
    secret: Type.String(),
  }),
  demo: Type.Object({
    enabled: Type.Boolean(),
    simulateCameras: Type.Boolean(),
    /** Second octet of the simulated cameras' loopback addresses (127.N.x.y): tests use their own. */
    simulatorNet: Type.Integer({ minimum: 0, maximum: 255 }),
  }),
  session: Type.Object({
    /** Signs session cookies; empty means "generate one and keep it in dataDir". */
    secret: Type.String(),
    ttlHours: Type.Number({ minimum: 0.01, maximum: 720 }),
    secureCookie: Type.Boolean(),
  }),
  login: Type.Object({ maxAttemptsPerMinute: Type.Integer({ minimum: 1, maximum: 1000 }) }),
  media: Type.Object({
    maxRelays: Type.Integer({ minimum: 1, maximum: 2000 }),
    idleTimeoutSec: Type.Number({ minimum: 1, maximum: 3600 }),
    stallTimeoutSec: Type.Number({ minimum: 1, maximum: 600 }),
    segmentFormat: Type.Union([Type.Literal('mpegts'), Type.Literal('cmaf')]),
    /** H.265 → H.264 transcodes (ffmpeg) at once, for browsers without an HEVC decoder; 0 turns them off. */
    maxTranscodes: Type.Integer({ minimum: 0, maximum: 64 }),
  }),
  /**
   * The low-latency path (WebRTC/WHEP) for the tile being steered, see server/media/webrtc/README.md. Host ICE
   * candidates only (no STUN/TURN: the console and its operators share one intranet).
   */
  webrtc: Type.Object({
    /** Concurrent low-latency sessions; beyond this a WHEP offer is refused (503) and the tile stays on HLS. */
    maxSessions: Type.Integer({ minimum: 0, maximum: 256 }),
    /** The IPv4 address the UDP sockets bind to; empty: every interface. Tests bind 127.0.0.1. */
    bindAddress: Type.String(),
    /** Extra address announced as a host candidate (e.g. the address browsers reach behind NAT); empty: none. */
    announceAddress: Type.String(),
  }),
  recording: Type.Object({
    /** Where rewind rings and recordings go; empty: <dataDir>/recordings. */
    dir: Type.String(),
    /** Live rewind (回看) kept per running relay, seconds; 0 turns the ring off. */
    ringSec: Type.Integer({ minimum: 0, maximum: 3600 }),
    /** Retention of a recorded camera without its own setting. */
    defaultRetentionDays: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** All recordings together stay under this (oldest unlocked deleted first); 0: no quota. */
    quotaGb: Type.Number({ minimum: 0 }),
    /** Low-disk guard: below this much free space the oldest unlocked files go, and recording stops if none can. */
    minFreeGb: Type.Number({ minimum: 0 }),
  }),
  dispatch: Type.Object({
    /** How often overdue tasks are looked for; 0 turns the periodic scan off. */
    overdueScanSec: Type.Number({ minimum: 0, maximum: 86_400 }),
    /** A JSON file replacing server/dispatch/taxonomy.json; empty for the built-in categories. */
    taxonomyFile: Type.String(),
  }),
  health: Type.Object({
    /** Periodic camera checks (RTSP OPTIONS / ONVIF GetSystemDateAndTime); off unless turned on. */
    enabled: Type.Boolean(),
    /** Every camera is checked once per cycle, the checks spread evenly over it. */
    cycleMinutes: Type.Number({ minimum: 0.01, maximum: 1440 }),
    /** The socket budget: at most this many checks in flight (see server/discovery/health/checker.ts). */
    concurrency: Type.Integer({ minimum: 1, maximum: 4096 }),
    timeoutMs: Type.Integer({ minimum: 100, maximum: 60_000 }),
  }),
  maintenance: Type.Object({
    /** A camera offline this long opens a maintenance ticket (运维工单) to its network's maintainer. */
    offlineMinutes: Type.Number({ minimum: 0.01, maximum: 10_080 }),
    /** How often dark cameras and recovered ones are looked for; 0 turns the sweep off. */
    sweepSec: Type.Number({ minimum: 0, maximum: 86_400 }),
  }),
  backup: Type.Object({
    /** A daily backup (database and keys, one file) at `time`; off unless turned on. */
    enabled: Type.Boolean(),
    /** Where scheduled backups go; empty: <dataDir>/backups. Another disk is better. */
    dir: Type.String(),
    /** How many scheduled backups to keep; older ones are deleted after each new one. */
    keep: Type.Integer({ minimum: 1, maximum: 3650 }),
    /** Time of day in China Standard Time (UTC+8), "HH:MM". */
    time: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  }),
  /**
   * The map (电子地图). County networks have no internet: by default ('none') the page draws only the GeoJSON the
   * gateway serves (unit boundaries, roads). 'xyz': an intranet tile server's URL template ({z}/{x}/{y}, optional
   * {s}); the page then loads tiles from it, and from nowhere else. `coordSystem` is the tiles' system (天地图 and
   * most Chinese servers draw GCJ-02): stored WGS-84 points are converted for it (server/domain/coords.ts).
   * 'pmtiles': a raster PMTiles archive on the gateway's disk (`pmtilesPath`), served by the gateway itself at
   * /api/map/tiles/{z}/{x}/{y}: offline, one file to copy, no tile server to run.
   */
  map: Type.Object({
    baseMap: Type.Union([Type.Literal('none'), Type.Literal('xyz'), Type.Literal('pmtiles')]),
    tileUrl: Type.String(),
    /** With 'pmtiles': the archive's path (relative paths from the working directory). */
    pmtilesPath: Type.String(),
    coordSystem: Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09')]),
    maxZoom: Type.Integer({ minimum: 1, maximum: 22 }),
    attribution: Type.String({ maxLength: 200 }),
  }),
  networks: Type.Array(NetworkConfig, { minItems: 1 }),
  /**
   * RTMP ingest (移动视频): devices publish to rtmp://<publicHost or the console's host>:<port>/live/<stream key>.
   * Off unless turned on; `host` is where it listens (0.0.0.0 for devices on the network).
   */
  rtmp: Type.Object({
    enabled: Type.Boolean(),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    host: Type.String({ minLength: 1 }),
    /** The host name devices reach the gateway by, for the RTMP URL shown when a key is made; empty: the browser's. */
    publicHost: Type.String(),
  }),
});
export type Config = Static<typeof ConfigSchema>;

/** Environment variables that override a config path. Documented in the README. */
type EnvType = 'string' | 'number' | 'boolean' | 'boolean-or-string';

export const ENV_OVERRIDES: Record<string, { path: string; type: EnvType }> = {
  CONSOLE_HOST: { path: 'host', type: 'string' },
  CONSOLE_PORT: { path: 'port', type: 'number' },
  CONSOLE_DATA_DIR: { path: 'dataDir', type: 'string' },
  CONSOLE_DATABASE: { path: 'database', type: 'string' },
  CONSOLE_TRUST_PROXY: { path: 'trustProxy', type: 'boolean-or-string' },
  CONSOLE_NODE_ID: { path: 'cluster.nodeId', type: 'string' },
  CONSOLE_ADVERTISE_URL: { path: 'cluster.advertiseUrl', type: 'string' },
  CONSOLE_CLUSTER_SECRET: { path: 'cluster.secret', type: 'string' },
  CONSOLE_DEMO: { path: 'demo.enabled', type: 'boolean' },
  CONSOLE_SIMULATE_CAMERAS: { path: 'demo.simulateCameras', type: 'boolean' },
  CONSOLE_SESSION_SECRET: { path: 'session.secret', type: 'string' },
  CONSOLE_SESSION_TTL_HOURS: { path: 'session.ttlHours', type: 'number' },
  CONSOLE_SECURE_COOKIE: { path: 'session.secureCookie', type: 'boolean' },
  CONSOLE_LOGIN_MAX_PER_MINUTE: { path: 'login.maxAttemptsPerMinute', type: 'number' },
  CONSOLE_MAX_RELAYS: { path: 'media.maxRelays', type: 'number' },
  CONSOLE_RELAY_IDLE_SEC: { path: 'media.idleTimeoutSec', type: 'number' },
  CONSOLE_RELAY_STALL_SEC: { path: 'media.stallTimeoutSec', type: 'number' },
  CONSOLE_SEGMENT_FORMAT: { path: 'media.segmentFormat', type: 'string' },
  CONSOLE_MAX_TRANSCODES: { path: 'media.maxTranscodes', type: 'number' },
  CONSOLE_WEBRTC_MAX_SESSIONS: { path: 'webrtc.maxSessions', type: 'number' },
  CONSOLE_WEBRTC_BIND: { path: 'webrtc.bindAddress', type: 'string' },
  CONSOLE_WEBRTC_ANNOUNCE: { path: 'webrtc.announceAddress', type: 'string' },
  CONSOLE_RECORDING_DIR: { path: 'recording.dir', type: 'string' },
  CONSOLE_REWIND_SEC: { path: 'recording.ringSec', type: 'number' },
  CONSOLE_RECORDING_QUOTA_GB: { path: 'recording.quotaGb', type: 'number' },
  CONSOLE_OVERDUE_SCAN_SEC: { path: 'dispatch.overdueScanSec', type: 'number' },
  CONSOLE_DANGER_TAXONOMY: { path: 'dispatch.taxonomyFile', type: 'string' },
  CONSOLE_HEALTH: { path: 'health.enabled', type: 'boolean' },
  CONSOLE_TICKET_OFFLINE_MIN: { path: 'maintenance.offlineMinutes', type: 'number' },
  CONSOLE_HEALTH_CYCLE_MIN: { path: 'health.cycleMinutes', type: 'number' },
  CONSOLE_HEALTH_CONCURRENCY: { path: 'health.concurrency', type: 'number' },
  CONSOLE_BACKUP: { path: 'backup.enabled', type: 'boolean' },
  CONSOLE_BACKUP_DIR: { path: 'backup.dir', type: 'string' },
  CONSOLE_BACKUP_KEEP: { path: 'backup.keep', type: 'number' },
  CONSOLE_BACKUP_TIME: { path: 'backup.time', type: 'string' },
  CONSOLE_MAP_BASE: { path: 'map.baseMap', type: 'string' },
  CONSOLE_RTMP: { path: 'rtmp.enabled', type: 'boolean' },
  CONSOLE_RTMP_PORT: { path: 'rtmp.port', type: 'number' },
  CONSOLE_RTMP_HOST: { path: 'rtmp.host', type: 'string' },
  CONSOLE_MAP_TILE_URL: { path: 'map.tileUrl', type: 'string' },
  CONSOLE_MAP_PMTILES: { path: 'map.pmtilesPath', type: 'string' },
  CONSOLE_MAP_COORD_SYSTEM: { path: 'map.coordSystem', type: 'string' },
};

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Invalid configuration: ${field} ${message}`);
  }
}

type Json = Record<string, unknown>;

function isObject(x: unknown): x is Json {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  return out;
}

function setPath(target: Json, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Json;
  }
  node[keys[keys.length - 1]] = value;
}

function parseEnvValue(name: string, raw: string, type: EnvType): unknown {
  if (type === 'string') return raw;
  if (type === 'boolean-or-string') return /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : raw;
  if (type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(name, `must be a number, got "${raw}"`);
    return n;
  }
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readJson(file: string): Json {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(parsed)) throw new Error('top level is not an object');
    return parsed;
  } catch (err) {
    throw new ConfigError(file, `cannot be read: ${(err as Error).message}`);
  }
}

const checkConfig = Compile(ConfigSchema);

/** Validates a merged configuration object, naming the first bad field. */
export function validateConfig(candidate: unknown): Config {
  if (checkConfig.Check(candidate)) {
    checkTrustProxy(candidate.trustProxy);
    checkMap(candidate.map);
    return candidate;
  }
  const [first] = checkConfig.Errors(candidate);
  const field = (first?.instancePath || '/').replace(/^\//, '').replace(/\//g, '.') || '(root)';
  throw new ConfigError(field, first?.message ?? 'is invalid');
}

/** A list of proxy addresses must parse: Fastify would otherwise fail at start with a message naming nothing. */
function checkTrustProxy(value: boolean | string): void {
  if (typeof value === 'boolean') return;
  for (const entry of value.split(',').map((e) => e.trim())) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    const badBits = bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max);
    if (!family || badBits || rest.length) {
      throw new ConfigError('trustProxy', `must be true, false or a comma-separated list of IP addresses or CIDR ranges; "${entry}" is neither`);
    }
  }
}

/** An XYZ base map needs a template the page can fill in: http(s), with {z}, {x} and {y}. */
function checkMap(map: Config['map']): void {
  if (map.baseMap === 'pmtiles' && !map.pmtilesPath.trim()) {
    throw new ConfigError('map.pmtilesPath', 'must name a PMTiles archive when map.baseMap is "pmtiles"');
  }
  if (map.baseMap !== 'xyz') return;
  if (!/^https?:\/\/[^/]+/i.test(map.tileUrl) || !['{z}', '{x}', '{y}'].every((p) => map.tileUrl.includes(p))) {
    throw new ConfigError('map.tileUrl', 'must be an http(s) URL template with {z}, {x} and {y} when map.baseMap is "xyz"');
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Applied last: tests use it to point dataDir at a temp folder and so on. */
  overrides?: Json;
  defaultFile?: string;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const defaultFile = options.defaultFile ?? resolve(import.meta.dirname, '../config/default.json');
  let merged = readJson(defaultFile);
  if (env.CONSOLE_CONFIG) merged = deepMerge(merged, readJson(resolve(env.CONSOLE_CONFIG)));
  for (const [name, { path, type }] of Object.entries(ENV_OVERRIDES)) {
    const raw = env[name];
    if (raw !== undefined) setPath(merged, path, parseEnvValue(name, raw, type));
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  return validateConfig(merged);
}
