import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RENDER_COLLECT_AFTER_MB_DEFAULT, RENDER_THREAD_DEFAULTS } from '../pdf/render-thread';

export type AppRole = 'api' | 'worker' | 'all';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: int(3000, 0).pipe(z.number().max(65535)),
  DATA_DIR: z.string().default('./data'),
  /** Where PDFs and signatures are kept: a folder (default `<DATA_DIR>/files`) or `s3://bucket/prefix` with the S3_* settings. */
  STORAGE_URL: z.string().min(1).optional(),
  /** An S3-compatible server's URL (unset: AWS S3 of S3_REGION). */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  S3_REGION: z.string().min(1).optional(),
  /** Both or neither: without them the AWS SDK's own chain (environment, instance role) is asked. */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** `bucket` in the path instead of the host name (most self-hosted S3-compatible servers need it). */
  S3_FORCE_PATH_STYLE: bool.default(false),
  /** How long a storage call waits for an answer (plus a second per MiB uploaded) before it is a 503 STORAGE_UNAVAILABLE. */
  S3_TIMEOUT_MS: int(800, 50),
  /** Tries per storage call (the SDK's retries on errors that may pass), all within S3_TIMEOUT_MS. */
  S3_MAX_ATTEMPTS: int(3, 1).pipe(z.number().max(10)),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite database)')
    .optional(),
  SQLITE_PATH: z.string().optional(),
  /** Free space below which the data disk counts as low (health, metrics, the operations console): MiB. */
  DISK_LOW_FREE_MB: int(1024, 0),
  /** How long an SQLite statement waits for another connection's write lock before SQLITE_BUSY. */
  SQLITE_BUSY_TIMEOUT_MS: int(5000, 0),
  /** PostgreSQL connections per process; an API process opens them all at start and keeps them. */
  DATABASE_POOL_SIZE: int(10, 1).pipe(z.number().max(100)),
  /** How long a query waits for a free (or new) PostgreSQL connection before it fails with 503. */
  DATABASE_ACQUIRE_TIMEOUT_MS: int(2000, 50),
  /** Longest PostgreSQL statement (server-side statement_timeout, and the client's wait for an answer); then 503. */
  DATABASE_STATEMENT_TIMEOUT_MS: int(30_000, 50),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key (Bull queues, socket.io channels, rate limits): lets tests share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[\w.-]+$/, 'letters, digits, dot, dash, underscore only').default('vetlab'),
  /** How long a request waits for Redis (an enqueue, the login limits) before it answers 503. */
  REDIS_COMMAND_TIMEOUT_MS: int(2000, 50),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: int(900, 10),
  REFRESH_TOKEN_TTL_SECONDS: int(14 * 24 * 3600, 60),
  LOGIN_RATE_LIMIT: int(10, 1),
  LOGIN_RATE_WINDOW_SECONDS: int(900, 1),
  /** How long a one-time link to set a password (mailed to a new person, or on an admin's request) stays usable. */
  PASSWORD_LINK_TTL_MINUTES: int(72 * 60, 1),
  /** Where people reach vetlab (the SPA): the QR on a report points to <PUBLIC_URL>/verificar/<code>. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Lookups of the public verification page per client address in a window; more are answered 429. */
  VERIFY_RATE_LIMIT: int(60, 1),
  VERIFY_RATE_WINDOW_SECONDS: int(60, 1),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().default('vetlab <laboratorio@vetlab.local>'),
  /** A mail SMTP did not take is tried again after MAIL_RETRY_MIN_MS, doubling up to MAIL_RETRY_MAX_MS apart… */
  MAIL_RETRY_MIN_MS: int(30_000, 1),
  MAIL_RETRY_MAX_MS: int(10 * 60_000, 1),
  /** …for this long after it was queued (or sent again by staff); then it is failed. */
  MAIL_GIVE_UP_AFTER_MS: int(24 * 3600_000, 1),
  /** How long a sender's claim on a mail holds unless renewed: a live sender renews it every third of it; a claim past it is taken over. */
  MAIL_LEASE_MS: int(5 * 60_000, 100),
  WEB_DIST: z.string().optional(),
  PASSWORD_HASH_COST: z.enum(['normal', 'low']).default('normal'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  SEED_ON_START: bool.default(true),
  /** Worker threads that render PDFs; each keeps React-PDF loaded and warm. */
  RENDER_THREADS: int(1, 1),
  /** Throwaway renders each render thread does at start, so the first real ones run at full speed. */
  RENDER_WARM_UP_RENDERS: int(3, 0),
  /** When a worker starts its render threads: as it boots (`boot`: the first render is warm) or at its first render (`first-render`: a process that may never render spares their memory and start-up CPU). */
  RENDER_START: z.enum(['boot', 'first-render']).default('boot'),
  /** Nice value (0–19) of the render threads: on a shared machine the HTTP event loop and Bull's lock renewals go first. */
  RENDER_NICE: int(10, 0),
  /** A render thread's young generation, MiB (0: V8's default, 3 × 16 MiB): small keeps an idle or rendering thread's memory small. */
  RENDER_THREAD_YOUNG_MB: int(RENDER_THREAD_DEFAULTS.youngGenerationMb, 0),
  /** A render thread's old-generation limit, MiB (0: V8's default): a render that needs more fails alone, its thread replaced. */
  RENDER_THREAD_MAX_HEAP_MB: int(RENDER_THREAD_DEFAULTS.maxHeapMb, 0),
  /** A render thread collects its garbage right after a render that left its heap above this many MiB (0: never; V8 decides). */
  RENDER_THREAD_GC_ABOVE_MB: int(RENDER_THREAD_DEFAULTS.gcAboveMb, 0),
  /** Renders a render thread does before warm new threads take the pool's place (0: never): React-PDF keeps a little of every render. */
  RENDER_THREAD_RECYCLE_RENDERS: int(RENDER_THREAD_DEFAULTS.recycleAfterRenders, 0),
  /** MiB of PDFs the render pool hands out between two full collections of the process's thread (0: V8 decides): a PDF's bytes live outside the heap. */
  RENDER_COLLECT_AFTER_MB: int(RENDER_COLLECT_AFTER_MB_DEFAULT, 0),
  /** Nice value (0–19) of a worker-role process, so that API processes on the same machine go first. */
  WORKER_NICE: int(10, 0),
  /** On SIGTERM: how long running jobs and in-flight requests get to finish before the rest is handed back. */
  SHUTDOWN_GRACE_MS: int(25_000, 0),
  /** Background jobs: attempts and the first retry delay (doubling after), Bull's lock and stall check. */
  JOB_ATTEMPTS: int(5, 1),
  JOB_BACKOFF_MS: int(2000, 1),
  JOB_LOCK_MS: int(30_000, 500),
  JOB_STALLED_CHECK_MS: int(30_000, 200),
  /** How often a running worker looks for jobs the database expects and Redis lacks (0: only at start). */
  JOB_STRANDED_SWEEP_MS: int(60_000, 0),
  /** How long a job Bull failed or completed is left alone before the sweep acts on it (its end may be being recorded). */
  JOB_STRANDED_GRACE_MS: int(10_000, 0),
  /** How long writing a job record (start, stage, end) keeps retrying through a database outage before the attempt's outcome stands. */
  JOB_BOOKKEEPING_RETRY_MS: int(10_000, 0),
  /** The operations console: a job active longer than this many times its kind's p99 shows as stuck… */
  OPS_STUCK_FACTOR: z.coerce.number().positive().default(5),
  /** …and never sooner than this (also the limit while a kind has too few finished runs to tell). */
  OPS_STUCK_MIN_MS: int(600_000, 0),
  /** Protocols per transaction of a bulk run. */
  BULK_CHUNK_SIZE: int(500, 1).pipe(z.number().max(5000)),
  /** Files of a work order's older PDF versions are removed once it has been this long since its last edit. */
  WORK_ORDER_PDF_RETENTION_SECONDS: int(7 * 24 * 3600, 0),
  /** Whether creating or editing a work order renders its PDF in the background (low priority). */
  WORK_ORDER_PDF_PRERENDER: bool.default(true),
  /** The operations console: how often an API process with consoles open recomputes the live overview. */
  OPS_TICK_MS: int(1000, 100),
  /** How long a computed overview is served again (0: computed on every request). */
  OPS_OVERVIEW_CACHE_MS: int(1000, 0),
  /** How often each process looks for expired queue pauses and makes Redis agree with the pauses table. */
  OPS_PAUSE_CHECK_MS: int(5000, 100),
  /** How often a worker reports itself to the console; it counts as gone after three missed reports. */
  OPS_HEARTBEAT_MS: int(5000, 100),
  /** How long a booting process waits for another one's migrations before it gives up. */
  MIGRATION_LOCK_TIMEOUT_SECONDS: int(120, 1),
  /** Which proxies' X-Forwarded-For / -Proto are believed: false, true, a hop count, or addresses and CIDRs. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed instanceof Error) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Port of this process's Prometheus listener (/metrics); unset: no listener; 0: any free port. */
  METRICS_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /** When set, /metrics answers only `Authorization: Bearer <token>` (401 otherwise). */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** `json`: one JSON object a line (with request and job ids); `text`: Nest's readable lines. */
  LOG_FORMAT: z.enum(['json', 'text']).optional(),
});

/** Names proxy-addr (Fastify's trustProxy) understands in an address list. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY as Fastify's `trustProxy` takes it: `false` (the default: the socket's address is the
 * client's), `true` (every proxy: only when the API is reachable through the proxy alone), a number
 * of proxy hops in front, or a comma-separated list of the proxies' addresses and CIDRs (and the
 * names loopback, linklocal, uniquelocal).
 */
export function parseTrustProxy(raw: string): boolean | number | string[] | Error {
  const v = raw.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !TRUST_PROXY_NAMES.includes(e) && !isAddressOrCidr(e));
  if (bad.length) return new Error(`not an address, CIDR or one of ${TRUST_PROXY_NAMES.join(', ')}: ${bad.join(', ')} (or use true, false or a hop count)`);
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
export interface S3StorageConfig {
  bucket: string;
  /** Below the bucket, without slashes at either end ('' for none). */
  prefix: string;
  endpoint: string | null;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  forcePathStyle: boolean;
  timeoutMs: number;
  maxAttempts: number;
}

export type StorageConfig = { kind: 'local'; root: string } | ({ kind: 's3' } & S3StorageConfig);

export interface DatabaseTimeouts {
  acquireMs: number;
  statementMs: number;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  role: AppRole;
  /** Nice value a worker-role process gives itself (0: none). */
  workerNice: number;
  /** On SIGTERM, how long running jobs and requests may take before the process hands them back and exits. */
  shutdownGraceMs: number;
  host: string;
  port: number;
  /** Base URL people reach vetlab at, without a trailing slash. */
  publicUrl: string;
  dataDir: string;
  /** Where PDFs and signatures are kept (STORAGE_URL). */
  storage: StorageConfig;
  /** Free bytes below which the data disk counts as low. */
  diskLowFreeBytes: number;
  database: { driver: 'sqlite'; path: string } | { driver: 'postgresql'; url: string; poolSize: number };
  sqliteBusyTimeoutMs: number;
  /** Bounds on waiting for PostgreSQL: a database that is away answers 503 instead of holding requests. */
  databaseTimeouts: DatabaseTimeouts;
  redis: { url: string; prefix: string; commandTimeoutMs: number };
  auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    loginRateLimit: number;
    loginRateWindowSeconds: number;
    passwordHashCost: 'normal' | 'low';
    /** How long a one-time set-password link stays usable. */
    passwordLinkTtlMinutes: number;
  };
  /** The public verification page's limit per client address. */
  verify: { rateLimit: number; rateWindowSeconds: number };
  mail: { smtpUrl: string | null; from: string; outboxDir: string; retryMinMs: number; retryMaxMs: number; giveUpAfterMs: number; leaseMs: number };
  webDist: string;
  logLevel: string;
  /** Log lines as JSON objects or as text (json by default in production). */
  logFormat: 'json' | 'text';
  /** This process's Prometheus listener (port null: none). */
  metrics: { port: number | null; host: string; token: string | null };
  seedOnStart: boolean;
  pdf: { renderThreads: number; warmUpRenders: number; startOnBoot: boolean; nice: number; youngGenerationMb: number; maxHeapMb: number; gcAboveMb: number; recycleAfterRenders: number; collectAfterMb: number };
  jobs: { attempts: number; backoffMs: number; lockMs: number; stalledCheckMs: number; strandedSweepMs: number; strandedGraceMs: number; bookkeepingRetryMs: number };
  bulk: { chunkSize: number };
  workOrderPdf: { retentionSeconds: number; prerender: boolean };
  ops: { tickMs: number; overviewCacheMs: number; pauseCheckMs: number; heartbeatMs: number; stuckFactor: number; stuckMinMs: number };
  /** How long a booting process waits for the migration lock. */
  migrationLockTimeoutMs: number;
  /** Fastify's trustProxy: whose X-Forwarded-For decides request.ip (the per-address limits) and -Proto the scheme (Secure cookie, HSTS). */
  trustProxy: boolean | number | string[];
}

export class ConfigError extends Error {}

/** Reads and validates the environment once; a bad variable stops the start with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, role: AppRole = 'all'): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  if (e.NODE_ENV === 'production') {
    const problems = productionProblems(e);
    if (problems.length) throw new ConfigError(`Invalid configuration for production (NODE_ENV=production):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return {
    env: e.NODE_ENV,
    role,
    workerNice: Math.min(19, e.WORKER_NICE),
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? ownUrl(e.HOST, e.PORT)).replace(/\/+$/, ''),
    dataDir,
    storage: storageConfig(e, dataDir),
    diskLowFreeBytes: e.DISK_LOW_FREE_MB * 1024 * 1024,
    database: e.DATABASE_URL
      ? { driver: 'postgresql', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { driver: 'sqlite', path: resolve(e.SQLITE_PATH ?? join(dataDir, 'vetlab.sqlite')) },
    sqliteBusyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    databaseTimeouts: { acquireMs: e.DATABASE_ACQUIRE_TIMEOUT_MS, statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX, commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS },
    auth: {
      jwtSecret: e.JWT_SECRET ?? localSecret(dataDir),
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      loginRateLimit: e.LOGIN_RATE_LIMIT,
      loginRateWindowSeconds: e.LOGIN_RATE_WINDOW_SECONDS,
      passwordHashCost: e.PASSWORD_HASH_COST,
      passwordLinkTtlMinutes: e.PASSWORD_LINK_TTL_MINUTES,
    },
    verify: { rateLimit: e.VERIFY_RATE_LIMIT, rateWindowSeconds: e.VERIFY_RATE_WINDOW_SECONDS },
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM,
      outboxDir: join(dataDir, 'outbox'),
      retryMinMs: e.MAIL_RETRY_MIN_MS,
      retryMaxMs: Math.max(e.MAIL_RETRY_MIN_MS, e.MAIL_RETRY_MAX_MS),
      giveUpAfterMs: e.MAIL_GIVE_UP_AFTER_MS,
      leaseMs: e.MAIL_LEASE_MS,
    },
    webDist: resolve(e.WEB_DIST ?? 'dist/web'),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'text'),
    metrics: { port: e.METRICS_PORT ?? null, host: e.METRICS_HOST, token: e.METRICS_TOKEN ?? null },
    seedOnStart: e.SEED_ON_START,
    pdf: { renderThreads: e.RENDER_THREADS, warmUpRenders: e.RENDER_WARM_UP_RENDERS, startOnBoot: e.RENDER_START === 'boot', nice: Math.min(19, e.RENDER_NICE), youngGenerationMb: e.RENDER_THREAD_YOUNG_MB, maxHeapMb: e.RENDER_THREAD_MAX_HEAP_MB, gcAboveMb: e.RENDER_THREAD_GC_ABOVE_MB, recycleAfterRenders: e.RENDER_THREAD_RECYCLE_RENDERS, collectAfterMb: e.RENDER_COLLECT_AFTER_MB },
    jobs: {
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      lockMs: e.JOB_LOCK_MS,
      stalledCheckMs: e.JOB_STALLED_CHECK_MS,
      strandedSweepMs: e.JOB_STRANDED_SWEEP_MS,
      strandedGraceMs: e.JOB_STRANDED_GRACE_MS,
      bookkeepingRetryMs: e.JOB_BOOKKEEPING_RETRY_MS,
    },
    bulk: { chunkSize: e.BULK_CHUNK_SIZE },
    workOrderPdf: { retentionSeconds: e.WORK_ORDER_PDF_RETENTION_SECONDS, prerender: e.WORK_ORDER_PDF_PRERENDER },
    ops: { tickMs: e.OPS_TICK_MS, overviewCacheMs: e.OPS_OVERVIEW_CACHE_MS, pauseCheckMs: e.OPS_PAUSE_CHECK_MS, heartbeatMs: e.OPS_HEARTBEAT_MS, stuckFactor: e.OPS_STUCK_FACTOR, stuckMinMs: e.OPS_STUCK_MIN_MS },
    migrationLockTimeoutMs: e.MIGRATION_LOCK_TIMEOUT_SECONDS * 1000,
    trustProxy: e.TRUST_PROXY,
  };
}

/** Fewer different characters than this in JWT_SECRET looks like a placeholder ("xxxx…", "changeme…"). */
const MIN_SECRET_DISTINCT_CHARS = 10;

/**
 * Settings a production process refuses, each a line naming the variable: what is fine on a
 * developer's machine (a made-up secret, the test hash cost, a plain-http address) and unsafe for a lab.
 */
function productionProblems(e: z.output<typeof EnvSchema>): string[] {
  const problems: string[] = [];
  if (!e.JWT_SECRET) problems.push('JWT_SECRET: required in production (32+ random characters, e.g. `openssl rand -base64 48`)');
  else if (new Set(e.JWT_SECRET).size < MIN_SECRET_DISTINCT_CHARS) problems.push('JWT_SECRET: looks like a placeholder (too few different characters); use 32+ random characters');
  if (e.PASSWORD_HASH_COST === 'low') problems.push('PASSWORD_HASH_COST: low is for tests and throwaway demo data only; remove it (normal) in production');
  if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required in production, the https:// address people reach the lab at (report QR codes and password links point there)');
  else if (!e.PUBLIC_URL.startsWith('https://')) problems.push(`PUBLIC_URL: must be https:// in production (got ${e.PUBLIC_URL}): password links and report QR codes must not travel in the clear`);
  if (e.TRUST_PROXY === true) problems.push('TRUST_PROXY: true believes X-Forwarded-For from anybody (any client picks its own address and escapes the per-address limits); give the proxy addresses or the hop count');
  return problems;
}

/** A bucket name as S3 allows it: 3–63 of a-z 0-9 . -, starting and ending with a letter or digit. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A prefix: segments of a-z 0-9 _ . - (as storage keys), no empty ones. */
const PREFIX = /^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)*$/;

/** STORAGE_URL: a folder (the default) or `s3://bucket/prefix`, whose S3_* settings must make sense together. */
function storageConfig(e: z.infer<typeof EnvSchema>, dataDir: string): StorageConfig {
  const url = e.STORAGE_URL;
  if (!url || !url.startsWith('s3://')) {
    if (url && /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file://')) {
      throw new ConfigError(`Invalid configuration:\n  STORAGE_URL: must be a folder, a file:// URL or s3://bucket/prefix (got ${url.split('://')[0]}://)`);
    }
    return { kind: 'local', root: resolve(url ? url.replace(/^file:\/\//, '') : join(dataDir, 'files')) };
  }
  const [bucket, ...rest] = url.slice('s3://'.length).split('/');
  const prefix = rest.join('/').replace(/\/+$/, '');
  const problems: string[] = [];
  if (!BUCKET.test(bucket)) problems.push('STORAGE_URL: the bucket of s3://bucket/prefix must be 3–63 of a-z 0-9 . - (starting and ending with a letter or digit)');
  if (prefix && (!PREFIX.test(prefix) || prefix.includes('..'))) problems.push('STORAGE_URL: the prefix of s3://bucket/prefix may hold only a-z 0-9 _ . - and single slashes');
  if (!e.S3_REGION) problems.push('S3_REGION: required with an s3:// STORAGE_URL (any name, e.g. us-east-1, for most S3-compatible servers)');
  if (!!e.S3_ACCESS_KEY_ID !== !!e.S3_SECRET_ACCESS_KEY) {
    problems.push(`${e.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'}: required with ${e.S3_ACCESS_KEY_ID ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY'} (give both, or neither to use the AWS SDK's own credentials)`);
  }
  if (e.S3_ENDPOINT && !e.S3_ACCESS_KEY_ID) problems.push('S3_ACCESS_KEY_ID: required with S3_ENDPOINT (an S3-compatible server has no instance role to ask)');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    kind: 's3',
    bucket,
    prefix,
    endpoint: e.S3_ENDPOINT ?? null,
    region: e.S3_REGION!,
    credentials: e.S3_ACCESS_KEY_ID ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY! } : null,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
    timeoutMs: e.S3_TIMEOUT_MS,
    maxAttempts: e.S3_MAX_ATTEMPTS,
  };
}

/** The API's own address, as a browser on this machine reaches it (a wildcard host is localhost). */
function ownUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** Where vetlab keeps the secret it made itself, under the data folder. */
export const LOCAL_SECRET_FILE = '.jwt-secret';

/** Whether the secret in use is the one vetlab made itself (no JWT_SECRET): a backup carries it. */
export function usesLocalSecret(config: Pick<AppConfig, 'dataDir' | 'auth'>): boolean {
  const file = join(config.dataDir, LOCAL_SECRET_FILE);
  return existsSync(file) && readFileSync(file, 'utf8').trim() === config.auth.jwtSecret;
}

/** Outside production a secret is made once and kept under the data folder, so restarts keep sessions. */
function localSecret(dataDir: string): string {
  const file = join(dataDir, LOCAL_SECRET_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
