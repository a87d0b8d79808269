import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { freePort } from '../../tools/cluster/net';

export { freePort };

const root = join(__dirname, '../..');
const main = join(root, 'dist/api/apps/api/src/main.js');

export type Driver = 'sqlite' | 'postgresql';

export interface BenchStack {
  url: string;
  driver: Driver;
  env: NodeJS.ProcessEnv;
  /** DATA_DIR of the stack's processes (the stored files are under `files/`). */
  dataDir: string;
  /** Seconds the seed took, null when a kept database was reused as it was. */
  seedSeconds?: number | null;
  /** Stops the worker process and starts a new one with these variables on top of the stack's. */
  restartWorker: (env: Record<string, string>) => Promise<void>;
  /** Worker `i` (from 0) ended with SIGKILL, as in a crash: no shutdown hooks, its locks left behind. Resolves to its pid (null: it was not running). */
  killWorker: (i: number) => Promise<number | null>;
  /** Pids of the worker processes running now. */
  workerPids: () => number[];
  /** Pid of the API process (null: not running). */
  apiPid: () => number | null;
  /** Starts worker `i` again; resolves once it says it started (it logs that at LOG_LEVEL=log). */
  startWorker: (i: number) => Promise<void>;
  /** The API process's event-loop delay (bench/lib/event-loop-probe.cjs), read and reset. */
  eventLoop: () => Promise<EventLoopDelay>;
  /** Resolves once no job of the stack is waiting, delayed or running (renders, e-mails, bulk). */
  quiet: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Event-loop delay of one process since the last read, in ms (the probe resets it on every read). */
export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  count: number;
}

const probe = join(__dirname, 'event-loop-probe.cjs');
/** How long a restarted process may take to say it started (generous: a busy 2-core machine is slow). */
const START_MS = 90_000;

export async function readEventLoop(port: number): Promise<EventLoopDelay> {
  const res = await fetch(`http://127.0.0.1:${port}/?reset=1`);
  if (!res.ok) throw new Error(`event-loop probe on port ${port}: HTTP ${res.status}`);
  return (await res.json()) as EventLoopDelay;
}


export function build(): void {
  const r = spawnSync(process.execPath, [join(root, 'tools/build.mjs'), 'api'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) throw new Error('API build failed');
}

export interface StackOptions {
  driver: Driver;
  profile: 'bench' | 'demo' | 'decade';
  env?: Record<string, string>;
  roles?: ('api' | 'worker')[];
  /** Worker processes (1 by default). */
  workers?: number;
  /** Folder under data/ for the stack's files (default `bench`). */
  name?: string;
  /** The processes' output goes to this file instead of the console. */
  logFile?: string;
  /**
   * Keep the database between runs in this folder (PostgreSQL: a database named after it): seeded
   * only while it has no data (the seed is one transaction, so data means complete), never dropped.
   */
  keepIn?: string;
  /** More seed arguments (e.g. --protocols=N for the decade profile). */
  seedArgs?: string[];
}

/**
 * The real product in separate processes, as production runs it: one API process (HTTP + socket.io,
 * enqueue only) and worker processes (queues, render pool), on a freshly seeded database.
 */
export async function startStack(opts: StackOptions): Promise<BenchStack> {
  const dir = opts.keepIn ? join(opts.keepIn, opts.driver) : join(root, 'data', opts.name ?? 'bench', opts.driver);
  if (!opts.keepIn) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const eventLoopPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOGIN_RATE_LIMIT: '100000',
    LOG_LEVEL: 'warn',
    // Production refuses a plain-http address; the bench's own name for the lab (QR codes, links).
    PUBLIC_URL: 'https://lab.bench.invalid',
    // The bench's clients stand for many addresses (X-Forwarded-For), believed from loopback.
    TRUST_PROXY: 'loopback',
    BENCH_EVENT_LOOP_PORT: String(eventLoopPort),
    // The synchronous baseline shares this database under a Redis prefix of its own: its finalize
    // claims a job record that no queue of the stack's holds while the request renders. On a loaded
    // machine that takes longer than the default grace, and the stack's sweeper would take the
    // record for stranded and run it again, superseding the baseline's request (a 500). Nothing is
    // lost in a bench run, so the sweeper waits far longer than any request.
    JOB_STRANDED_GRACE_MS: '600000',
    ...opts.env,
  };
  let dropDb = async () => undefined as void;
  if (opts.driver === 'postgresql') {
    const admin = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const db = opts.keepIn ? `vetlab_${opts.name ?? 'bench'}_kept` : `vetlab_${opts.name ?? 'bench'}_${randomBytes(3).toString('hex')}`;
    const c = new Client({ connectionString: admin });
    await c.connect();
    const exists = opts.keepIn && (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount;
    if (!exists) await c.query(`CREATE DATABASE ${db}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${db}`;
    env.DATABASE_URL = url.toString();
    if (!opts.keepIn) dropDb = async () => {
      const a = new Client({ connectionString: admin });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await a.end();
    };
  } else {
    delete env.DATABASE_URL;
    env.SQLITE_PATH = join(dir, 'bench.sqlite');
  }
  const t0 = Date.now();
  // Production refuses to write demo accounts and the low hash cost: the throwaway data is seeded
  // as a test deployment would (the served processes verify those hashes at their own cost).
  const seedEnv = { ...env, NODE_ENV: 'test', PASSWORD_HASH_COST: 'low' };
  const seedArgs = [`--profile=${opts.profile}`, opts.keepIn ? '--if-empty' : '--reset', ...(opts.seedArgs ?? [])];
  const seed = spawnSync(process.execPath, [main, 'seed', ...seedArgs], { env: seedEnv, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stdout}\n${seed.stderr}`);
  const reused = opts.keepIn && seed.stdout.includes('already has data');
  console.log(`  ${reused ? 'reused the' : 'seeded'} ${opts.profile} profile on ${opts.driver} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const children: ChildProcess[] = [];
  const log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  /** The process, and `ready`: resolves once it printed `started` (at once without one), rejects if it exits or hangs first. */
  const spawnRole = (role: string, extraEnv: Record<string, string> = {}, started?: string) => {
    // BENCH_NODE_ARGS_<ROLE> (e.g. "--cpu-prof --cpu-prof-dir=tmp/prof") profiles one role's process.
    const nodeArgs = process.env[`BENCH_NODE_ARGS_${role.toUpperCase()}`]?.split(' ').filter(Boolean) ?? [];
    // The API process carries the event-loop probe (the isolation figure).
    if (role === 'api') nodeArgs.unshift('--require', probe);
    const c = spawn(process.execPath, [...nodeArgs, main, 'serve', `--role=${role}`], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(c);
    c.stdout?.pipe(log ?? process.stdout, { end: false });
    c.stderr?.pipe(log ?? process.stderr, { end: false });
    const ready = new Promise<void>((resolve, reject) => {
      if (!started) return resolve();
      // A process that hangs in its start is a failed start too: ended, so that it can be started again.
      const timer = setTimeout(() => {
        c.kill('SIGKILL');
        reject(new Error(`${role} did not start within ${START_MS / 1000} s`));
      }, START_MS);
      c.stdout?.on('data', (b: Buffer) => {
        if (!b.toString().includes(started)) return;
        clearTimeout(timer);
        resolve();
      });
      c.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${role} exited (${code ?? signal}) before it started`));
      });
    });
    return { child: c, ready };
  };
  const roles = new Map<string, ChildProcess>();
  const workerName = (i: number) => (i === 0 ? 'worker' : `worker${i}`);
  for (const role of opts.roles ?? ['api', 'worker']) {
    if (role === 'api') roles.set(role, spawnRole(role).child);
    else for (let i = 0; i < (opts.workers ?? 1); i++) roles.set(workerName(i), spawnRole(role).child);
  }
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url);
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  return {
    url,
    driver: opts.driver,
    env,
    dataDir: dir,
    seedSeconds: reused ? null : (Date.now() - t0) / 1000,
    eventLoop: () => readEventLoop(eventLoopPort),
    quiet: () => waitForQuiet(redis, `${env.REDIS_PREFIX}:bull`),
    restartWorker: async (extraEnv) => {
      const old = roles.get('worker');
      if (old) await stopChild(old);
      roles.set('worker', spawnRole('worker', extraEnv).child);
    },
    killWorker: async (i) => {
      const c = roles.get(workerName(i));
      if (!c || c.exitCode !== null || c.signalCode !== null) return null;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await exited;
      return c.pid ?? null;
    },
    workerPids: () =>
      [...roles.entries()].filter(([role, c]) => role.startsWith('worker') && c.exitCode === null && c.signalCode === null && c.pid).map(([, c]) => c.pid!),
    apiPid: () => {
      const c = roles.get('api');
      return c && c.exitCode === null && c.signalCode === null && c.pid ? c.pid : null;
    },
    startWorker: async (i) => {
      const { child, ready } = spawnRole('worker', {}, 'worker started');
      roles.set(workerName(i), child);
      await ready;
    },
    stop: async () => {
      redis.disconnect();
      await Promise.all(children.map(stopChild));
      log?.end();
      await dropDb().catch(() => undefined);
    },
  };
}

/**
 * Waits until every Bull queue under the prefix has nothing waiting, delayed or active: the e-mails
 * of the last finalize round, say, are sent. A figure measured from then on is the product's own,
 * not the product's plus whatever the worker was still doing on the same two cores.
 */
async function waitForQuiet(redis: Redis, prefix: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    // Redis deletes a list or sorted set when it empties: any such key left means work left.
    const busy = await Promise.all(['wait', 'active', 'delayed'].map((state) => redis.keys(`${prefix}:*:${state}`)));
    if (busy.every((keys) => keys.length === 0)) return;
    if (Date.now() > until) throw new Error(`the stack's queues did not go quiet within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 5000).unref();
  });
}

export async function waitForHealth(url: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API at ${url} not healthy after ${timeoutMs} ms`);
}
