/**
 * A vetlab cluster on one machine, as it runs on several: PostgreSQL and Redis (given, or a local
 * redis-server started here), an S3-compatible server (tools/s3-server.mjs) or one shared folder,
 * the migrations run once, then API processes (`serve --role=api`, each on its own port), worker
 * processes (`serve --role=worker`) and nginx in front (deploy/nginx.conf) on one port.
 *
 * Used by `npm run cluster` (tools/cluster.mjs), the cluster integration and browser tests and the
 * bench's cluster scenario. Every process is a child of the caller, in its own process group (a
 * Ctrl+C reaches it once, from here); each line it prints goes to `log` with the process's name.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { Client } from 'pg';
import { freePort, redisAnswers } from './net';

export { freePort };

export type ClusterRole = 'api' | 'worker' | 'nginx' | 's3' | 'redis' | 'migrate';
export type StorageChoice = 's3' | 'local';

export interface ClusterOptions {
  /** The repository (deploy/nginx.conf, tools/s3-server.mjs, the API's build or sources). */
  root: string;
  /** PostgreSQL (required: a SQLite file is not shared between machines). Created when missing. */
  databaseUrl: string;
  /** Redis: when it does not answer and is on this machine, a redis-server is started for the cluster. */
  redisUrl: string;
  /** Folder of the cluster's own files (the S3 server's objects, nginx's prefix, the shared DATA_DIR). */
  dataDir: string;
  /** nginx's port (0: a free one). */
  port?: number;
  apis?: number;
  workers?: number;
  /** `s3`: an S3-compatible server of the cluster's own; `local`: one folder all processes share (one machine only). */
  storage?: StorageChoice;
  /** Variables for the one migrate/seed run only (e.g. a bench seeding demo data beside production settings). */
  seedEnv?: Record<string, string>;
  /** `dist`: the built API (dist/api); `source`: apps/api/src through SWC (tests, no build needed). */
  entry?: 'dist' | 'source';
  /** More variables for every API and worker process (JWT_SECRET, REDIS_PREFIX, SMTP_URL…). */
  env?: Record<string, string>;
  /** Migrations (and the demo seed with `seed: true`) before the processes start. */
  seed?: boolean;
  /** The seed's profile (`demo` by default; the bench uses `bench`). */
  seedProfile?: string;
  /** Where each line goes; default: stdout, prefixed with the process's name. */
  log?: (name: string, line: string) => void;
  /** Called when a process ends that nobody asked to stop. */
  onUnexpectedExit?: (p: ClusterProcess, how: string) => void;
  /** How long a process may take to start (a busy 2-core machine is slow). */
  startMs?: number;
}

export interface ClusterProcess {
  name: string;
  role: ClusterRole;
  /** The port it listens on (API, nginx, S3), else 0. */
  port: number;
  /** http://127.0.0.1:<port> for a process that listens. */
  url: string;
  pid: () => number | undefined;
  running: () => boolean;
  /** Starts it (again) and resolves once it is ready. */
  start: () => Promise<void>;
  /** SIGKILL, as in a crash: no shutdown hooks, locks left behind. */
  crash: () => Promise<void>;
  /** A clean stop (SIGTERM; SIGKILL after the grace). */
  stop: () => Promise<void>;
  /** The last lines it printed. */
  output: () => string;
}

export interface Cluster {
  /** nginx's address: the one the browser and the clients use. */
  url: string;
  port: number;
  apis: ClusterProcess[];
  workers: ClusterProcess[];
  nginx: ClusterProcess;
  s3: ClusterProcess | null;
  /** The variables every API and worker process gets. */
  env: Record<string, string>;
  /** Everything, in order: nginx first, then the APIs, the workers, S3 and a Redis started here. */
  stop: () => Promise<void>;
}


export function findOnPath(name: string, extra: string[] = []): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extra]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** The checked-in nginx configuration with its two markers filled in. */
export function nginxConfig(root: string, listen: string, apiPorts: number[]): string {
  const template = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
  const servers = apiPorts.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n    ');
  return template.replace('{{API_SERVERS}}', servers).replace('{{LISTEN}}', listen);
}

function tcpOpen(port: number, host = '127.0.0.1', ms = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(ms, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Spec {
  name: string;
  role: ClusterRole;
  port: number;
  command: () => { file: string; args: string[]; env: NodeJS.ProcessEnv };
  /** Ready when this resolves true (polled), or when the output contains the string. */
  ready: string | (() => Promise<boolean>);
  stopSignal?: NodeJS.Signals;
}

function managed(spec: Spec, opts: Required<Pick<ClusterOptions, 'log' | 'startMs'>> & Pick<ClusterOptions, 'onUnexpectedExit'>): ClusterProcess {
  let child: ChildProcess | null = null;
  let out = '';
  let stopping = false;
  const running = () => child !== null && child.exitCode === null && child.signalCode === null;
  const exitOf = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

  const start = async () => {
    if (running()) return;
    stopping = false;
    const { file, args, env } = spec.command();
    const c = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = c;
    let partial = '';
    const onData = (b: Buffer) => {
      const text = partial + b.toString();
      out = (out + b.toString()).slice(-20_000);
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) opts.log(spec.name, line);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    c.once('exit', (code, signal) => {
      if (partial.trim()) opts.log(spec.name, partial);
      partial = '';
      if (!stopping) {
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        opts.log('cluster', `${spec.name} (pid ${c.pid}) ${how}`);
        opts.onUnexpectedExit?.(proc, how);
      }
    });
    const deadline = Date.now() + opts.startMs;
    while (Date.now() < deadline) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`${spec.name} ended before it was ready:\n${out.slice(-4000)}`);
      if (typeof spec.ready === 'string' ? out.includes(spec.ready) : await spec.ready()) return;
      await sleep(100);
    }
    throw new Error(`${spec.name} not ready after ${opts.startMs} ms:\n${out.slice(-4000)}`);
  };

  const end = async (signal: NodeJS.Signals, graceMs: number) => {
    const c = child;
    if (!c) return;
    stopping = true;
    if (running()) {
      c.kill('SIGCONT');
      c.kill(signal);
    }
    const timer = setTimeout(() => running() && c.kill('SIGKILL'), graceMs);
    await exitOf(c);
    clearTimeout(timer);
  };

  // Marks the output where a new start begins, so `ready` strings are not found in an old run's output.
  const startFresh = async () => {
    out = '';
    await start();
  };

  const proc: ClusterProcess = {
    name: spec.name,
    role: spec.role,
    port: spec.port,
    url: spec.port ? `http://127.0.0.1:${spec.port}` : '',
    pid: () => child?.pid,
    running,
    start: startFresh,
    crash: () => end('SIGKILL', 0),
    stop: () => end(spec.stopSignal ?? 'SIGTERM', 40_000),
    output: () => out,
  };
  return proc;
}

/**
 * nginx with deploy/nginx.conf in front of the given ports, as the current user, its files under
 * `prefix`; not started yet. Also the bench's control (bare nginx in front of a bare handler).
 */
export function nginxProcess(
  o: { root: string; prefix: string; port: number; upstreams: number[] },
  popts: { log: (name: string, line: string) => void; startMs?: number; onUnexpectedExit?: ClusterOptions['onUnexpectedExit'] },
): ClusterProcess {
  const nginxBin = findOnPath('nginx', ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']);
  if (!nginxBin) throw new Error('nginx is not installed (Debian/Ubuntu: apt-get install nginx)');
  for (const d of ['tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(join(o.prefix, d), { recursive: true });
  const conf = join(o.prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig(o.root, `127.0.0.1:${o.port}`, o.upstreams));
  // As root, nginx's workers would run as `nobody`, who cannot write to the prefix: keep them ours.
  const globals = `daemon off;${process.getuid?.() === 0 ? ' user root;' : ''}`;
  return managed(
    {
      name: 'nginx',
      role: 'nginx',
      port: o.port,
      command: () => ({ file: nginxBin, args: ['-p', o.prefix, '-c', conf, '-e', 'stderr', '-g', globals], env: process.env }),
      ready: () => tcpOpen(o.port),
      // SIGQUIT: nginx lets open requests finish.
      stopSignal: 'SIGQUIT',
    },
    { startMs: 30_000, ...popts },
  );
}

async function ensureDatabase(url: string): Promise<void> {
  const tryConnect = async (u: string) => {
    const c = new Client({ connectionString: u, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('select 1');
      return null;
    } catch (e) {
      return e as Error & { code?: string };
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const e = await tryConnect(url);
  if (!e) return;
  // 3D000: no such database. Create it from the server's maintenance database.
  if (e.code !== '3D000') throw new Error(`PostgreSQL is not reachable at DATABASE_URL (${e.message})`);
  const admin = new URL(url);
  const name = decodeURIComponent(admin.pathname.slice(1));
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await c.end();
  }
}


function runOnce(file: string, args: string[], env: NodeJS.ProcessEnv, name: string, log: (n: string, l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      for (const line of b.toString().split('\n')) if (line.trim()) log(name, line);
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code}):\n${out.slice(-4000)}`))));
  });
}

/** Starts everything and resolves once nginx answers in front of ready API and worker processes. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const root = options.root;
  const log = options.log ?? ((name: string, line: string) => console.log(`[${name}] ${line}`));
  const startMs = options.startMs ?? 90_000;
  const popts = { log, startMs, onUnexpectedExit: options.onUnexpectedExit };
  const storage = options.storage ?? 'local';
  const entry = options.entry ?? 'dist';
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const started: ClusterProcess[] = [];
  const stopAll = async () => {
    for (const p of [...started].reverse()) await p.stop().catch(() => undefined);
  };

  try {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) throw new Error('DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/db): a cluster shares one database');
    await ensureDatabase(options.databaseUrl);

    // Redis: the one given, or one of the cluster's own on this machine.
    let redis: ClusterProcess | null = null;
    if (!(await redisAnswers(options.redisUrl))) {
      const u = new URL(options.redisUrl);
      const binary = findOnPath('redis-server', ['/usr/sbin', '/usr/bin']);
      if (!['127.0.0.1', 'localhost'].includes(u.hostname) || !binary) throw new Error(`Redis does not answer at ${u.host} (REDIS_URL), and none can be started here`);
      const port = Number(u.port || 6379);
      const dir = join(dataDir, 'redis');
      mkdirSync(dir, { recursive: true });
      redis = managed(
        {
          name: 'redis',
          role: 'redis',
          port,
          // AOF and noeviction: Bull must not lose jobs on a restart or under memory pressure.
          command: () => ({ file: binary, args: ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'], env: process.env }),
          ready: () => redisAnswers(options.redisUrl),
        },
        popts,
      );
      started.push(redis);
      await redis.start();
    }

    // Storage.
    let s3: ClusterProcess | null = null;
    const storageEnv: Record<string, string> = {};
    if (storage === 's3') {
      const port = await freePort();
      const bucket = 'vetlab';
      s3 = managed(
        {
          name: 's3',
          role: 's3',
          port,
          command: () => ({ file: process.execPath, args: [join(root, 'tools/s3-server.mjs'), `--port=${port}`, `--dir=${join(dataDir, 's3')}`, `--bucket=${bucket}`], env: process.env }),
          ready: 's3 ready',
        },
        popts,
      );
      started.push(s3);
      await s3.start();
      Object.assign(storageEnv, {
        STORAGE_URL: `s3://${bucket}/files`,
        S3_ENDPOINT: s3.url,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
      });
    }

    const env: Record<string, string> = {
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      // One DATA_DIR for all: with `local` storage the PDFs live there (one machine only).
      DATA_DIR: join(dataDir, 'shared'),
      LOG_LEVEL: 'log',
      WEB_DIST: join(root, 'dist/web'),
      ...options.env,
      ...storageEnv,
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      HOST: '127.0.0.1',
      // nginx on this machine is the one proxy whose X-Forwarded-For is believed.
      TRUST_PROXY: 'loopback',
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    };
    if (!env.JWT_SECRET) throw new Error('JWT_SECRET must be set: every API process signs and checks the same tokens');
    const apiCount = options.apis ?? 2;
    const workerCount = options.workers ?? 2;
    const nodeArgs = (args: string[]) =>
      entry === 'dist'
        ? { file: process.execPath, args: ['--enable-source-maps', join(root, 'dist/api/apps/api/src/main.js'), ...args] }
        : { file: process.execPath, args: ['-r', '@swc-node/register', join(root, 'apps/api/src/main.ts'), ...args] };
    const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, SWC_NODE_PROJECT: join(root, 'apps/api/tsconfig.json'), ...env, ...extra });

    // The migrations, once, before any process starts (with the demo data when asked).
    const once = nodeArgs(options.seed ? ['seed', '--if-empty', ...(options.seedProfile ? [`--profile=${options.seedProfile}`] : [])] : ['migrate']);
    await runOnce(once.file, once.args, { ...childEnv(), LOG_LEVEL: 'warn', ...options.seedEnv }, options.seed ? 'seed' : 'migrate', log);

    const apis: ClusterProcess[] = [];
    // Every process has a Prometheus listener of its own (its log says where: "metrics on …").
    for (let i = 1; i <= apiCount; i++) {
      const port = await freePort();
      const metricsPort = await freePort();
      apis.push(
        managed(
          {
            name: `api-${i}`,
            role: 'api',
            port,
            command: () => ({ ...nodeArgs(['serve', '--role=api']), env: childEnv({ PORT: String(port), METRICS_PORT: String(metricsPort) }) }),
            ready: 'listening on',
          },
          popts,
        ),
      );
    }
    const workers: ClusterProcess[] = [];
    for (let i = 1; i <= workerCount; i++) {
      const metricsPort = await freePort();
      workers.push(
        managed(
          { name: `worker-${i}`, role: 'worker', port: 0, command: () => ({ ...nodeArgs(['serve', '--role=worker']), env: childEnv({ METRICS_PORT: String(metricsPort) }) }), ready: 'worker started' },
          popts,
        ),
      );
    }
    // Started side by side, as machines boot.
    started.push(...apis, ...workers);
    await Promise.all([...apis, ...workers].map((p) => p.start()));

    // nginx in front, as the current user, with a prefix folder of its own.
    const port = options.port || (await freePort());
    const nginx = nginxProcess({ root, prefix: join(dataDir, 'nginx'), port, upstreams: apis.map((a) => a.port) }, popts);
    started.push(nginx);
    await nginx.start();

    return {
      url: nginx.url,
      port,
      apis,
      workers,
      nginx,
      s3,
      env,
      stop: async () => {
        await nginx.stop();
        await Promise.all([...apis, ...workers].map((p) => p.stop()));
        if (s3) await s3.stop();
        if (redis) await redis.stop();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
