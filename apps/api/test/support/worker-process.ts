import Redis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { builtApi } from './api-build';
import { socketInodesOf, tcpSockets } from './proc-sockets';
import { freePort } from './redis-server';
import { TEST_REDIS_URL } from './services';
import { waitUntil } from './wait';

const ROOT = join(__dirname, '../../../..');

/** A process of the API started from this test run's build with `serve --role=…`, as production starts one. */
export interface AppProcess {
  child: ChildProcess;
  /** Everything it printed (for a failing test's message). */
  output: () => string;
  /** Resolves once it says it started; rejects if it exits first or takes too long. */
  ready: Promise<void>;
  /** How it ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown hooks, locks left behind, as in a crash. */
  crash: () => Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop: () => Promise<void>;
}

export type WorkerProcess = AppProcess;

/** An API-role process: its base URL once ready. */
export interface ApiProcess extends AppProcess {
  url: string;
}

function startAppProcess(env: Record<string, string>, role: 'api' | 'worker', started: string, startMs: number): AppProcess {
  const child = spawn(process.execPath, [builtApi('main.js'), 'serve', `--role=${role}`], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: 'log', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${role} not started after ${startMs} ms:\n${out}`)), startMs);
    const check = () => {
      if (out.includes(started)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${role} exited (${code ?? signal}) before it started:\n${out}`));
    });
  });
  ready.catch(() => undefined);
  const over = () => child.exitCode != null || child.signalCode != null;
  return {
    child,
    output: () => out,
    ready,
    exited,
    crash: async () => {
      if (!over()) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (!over()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function startWorkerProcess(env: Record<string, string>, startMs = 45_000): WorkerProcess {
  return startAppProcess(env, 'worker', 'worker started', startMs);
}

/**
 * The worker processes one spec starts: `start` adds one and waits until it takes jobs; `killAll`
 * (afterAll) thaws any the spec froze and kills them all.
 */
export class WorkerFleet {
  readonly list: WorkerProcess[] = [];

  constructor(private readonly env: () => Record<string, string>) {}

  async start(extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
    const w = startWorkerProcess({ ...this.env(), ...extraEnv });
    this.list.push(w);
    await w.ready;
    return w;
  }

  /** One whose render thread started at boot and is done warming up, so it takes a job over at once. */
  async startWarm(): Promise<WorkerProcess> {
    const w = await this.start({ RENDER_START: 'boot' });
    await waitUntil(() => w.output().includes('warm in'), { ms: 60_000, what: 'a warm render thread' });
    return w;
  }

  async killAll(): Promise<void> {
    for (const w of this.list) w.child.kill('SIGCONT');
    await Promise.all(this.list.map((w) => w.crash()));
  }
}

export async function startApiProcess(env: Record<string, string>, startMs = 45_000): Promise<ApiProcess> {
  const port = await freePort();
  const p = startAppProcess({ ...env, PORT: String(port), HOST: '127.0.0.1' }, 'api', 'listening on', startMs);
  return { ...p, url: `http://127.0.0.1:${port}` };
}

/**
 * SIGSTOP (a long GC pause, a frozen VM), then Redis lets go of the blocking reads the frozen
 * worker had waiting on its queues (as Redis would itself once they time out): otherwise a job
 * handed back to the queue goes straight to that frozen worker again, which is not the case under
 * test. SIGCONT thaws it.
 */
export async function freezeWorker(w: WorkerProcess): Promise<void> {
  w.child.kill('SIGSTOP');
  const ports = new Set(redisSocketsOf(w.child.pid!).map(String));
  const redis = new Redis(TEST_REDIS_URL);
  try {
    await waitUntil(
      async () => {
        const clients = ((await redis.client('LIST')) as string).split('\n').map((line) => Object.fromEntries(line.split(' ').map((kv) => kv.split('='))));
        const blocked = clients.filter((c) => c.flags?.includes('b') && ports.has(c.addr?.split(':')[1]));
        for (const c of blocked) await redis.client('UNBLOCK', c.id);
        return blocked.length === 0;
      },
      { ms: 5000, what: 'the frozen worker unblocked' },
    );
  } finally {
    redis.disconnect();
  }
}

/** Local ports of a process's TCP sockets to Redis. */
function redisSocketsOf(pid: number): number[] {
  const inodes = socketInodesOf(pid);
  const redisPort = Number(new URL(TEST_REDIS_URL).port || 6379);
  return tcpSockets(pid)
    .filter((s) => inodes.has(s.inode) && s.remotePort === redisPort)
    .map((s) => s.localPort);
}
