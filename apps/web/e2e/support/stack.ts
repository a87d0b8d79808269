import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freePort } from '../../../../tools/cluster/net';

const root = join(__dirname, '../../../..');
const main = join(root, 'dist/api/apps/api/src/main.js');

export interface Stack {
  url: string;
  port: number;
  /** Kills the API process as a crash would (SIGKILL). */
  crash: () => Promise<void>;
  /** Stops the API process as a deploy does (SIGTERM), and waits until it has exited. */
  terminate: () => Promise<void>;
  /** Starts the API again on the same port and data. */
  resume: () => Promise<void>;
  stop: () => Promise<void>;
  /** The last lines the server printed, for failure messages. */
  logs: () => string;
  /** With `separateWorker`: stop and start the worker process (jobs wait in Redis meanwhile). */
  stopWorker: () => Promise<void>;
  startWorker: () => void;
}


/** Environment variable: a data folder the global setup seeded with the demo data, which each stack copies. */
export const SEEDED_ENV = 'VETLAB_E2E_SEEDED_DIR';

/**
 * Migrates and seeds the demo data into `env.DATA_DIR`, as `npm start` does (the embedded SQLite
 * database and its files). The data is the same every time (the seed's clock is fixed), so the
 * global setup does it once and every stack starts from a copy (two seconds saved per file).
 */
export function seedDemo(env: NodeJS.ProcessEnv): void {
  const seed = spawnSync(process.execPath, [main, 'seed', '--if-empty'], { env, encoding: 'utf8', timeout: 60_000 });
  if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stdout}\n${seed.stderr}`);
}

/** The real product, as `npm start` runs it: built API + worker + SPA on one port, demo data. */
export async function startStack(opts: { separateWorker?: boolean; env?: Record<string, string>; dataDir?: string } = {}): Promise<Stack> {
  // A spec's own data folder (a small disk it fills) is its to remove.
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vetlab-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dir,
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `e2e-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_COST: 'low',
    LOGIN_RATE_LIMIT: '1000',
    WEB_DIST: join(root, 'dist/web'),
    LOG_LEVEL: 'warn',
    // As in the integration tests: render threads start at a stack's first render (most files never
    // render), after one throwaway render rather than three.
    RENDER_START: 'first-render',
    RENDER_WARM_UP_RENDERS: '1',
    // A spec's own settings (an SMTP server it controls, short mail retries).
    ...opts.env,
  };
  delete (env as Record<string, string | undefined>).DATABASE_URL;
  const seeded = process.env[SEEDED_ENV];
  if (seeded) cpSync(seeded, dir, { recursive: true });
  else seedDemo(env);

  let child: ChildProcess | null = null;
  let output = '';
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    child = spawn(process.execPath, [main, 'serve', `--role=${opts.separateWorker ? 'api' : 'all'}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => (output = (output + d).slice(-8000)));
    child.stderr?.on('data', (d) => (output = (output + d).slice(-8000)));
    await waitForHealth(url, 30_000, () => output);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  let worker: ChildProcess | null = null;
  const startWorker = () => {
    worker = spawn(process.execPath, [main, 'serve', '--role=worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout?.on('data', (d) => (output = (output + d).slice(-8000)));
    worker.stderr?.on('data', (d) => (output = (output + d).slice(-8000)));
  };
  const stopWorker = async () => {
    const w = worker;
    worker = null;
    if (!w || w.exitCode !== null) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill('SIGKILL');
    await exited;
  };
  await launch();
  if (opts.separateWorker) startWorker();
  return {
    startWorker,
    stopWorker,
    url,
    port,
    logs: () => output,
    crash: () => kill('SIGKILL'),
    terminate: () => kill('SIGTERM'),
    resume: launch,
    stop: async () => {
      await stopWorker();
      await kill();
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url: string, timeoutMs: number, logs: () => string) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not become healthy within ${timeoutMs} ms:\n${logs()}`);
}
