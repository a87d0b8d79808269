import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { freePort, redisAnswers } from '../../../../tools/cluster/net';

export { freePort };
import { waitUntil } from './wait';

/**
 * A Redis server of the test's own (the `redis-server` binary, on a free port, its data in a
 * temporary folder) that the test stops and starts for real. `appendonly: true` keeps what it had
 * across a restart (AOF, fsync always); without it a restart comes back empty, as a Redis that lost
 * its data does.
 */
export interface TestRedis {
  url: string;
  port: number;
  /** SIGKILL by default (a crash); `graceful` sends SHUTDOWN NOSAVE first. */
  stop(opts?: { graceful?: boolean }): Promise<void>;
  /** Starts it again on the same port and folder, and waits until it answers. */
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. `resume` thaws it. */
  pause(): void;
  resume(): void;
  running(): boolean;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

export interface TestRedisOptions {
  appendonly?: boolean;
  /** e.g. 'allkeys-lru' to try the durability check. */
  maxmemoryPolicy?: string;
  /** Refuse CONFIG, as some managed Redis services do. */
  withoutConfig?: boolean;
}


export async function startRedis(opts: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let out = '';

  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', opts.appendonly ? 'yes' : 'no', '--appendfsync', 'always',
    '--maxmemory-policy', opts.maxmemoryPolicy ?? 'noeviction',
    ...(opts.withoutConfig ? ['--rename-command', 'CONFIG', ''] : []),
  ];

  const ping = () => redisAnswers(url, 300);

  const start = async () => {
    if (child) return;
    const c = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    c.stderr?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
    c.once('exit', () => {
      if (child === c) child = null;
    });
    await waitUntil(ping, { ms: 5000, every: 50, what: `redis-server on port ${port} to answer:\n${out}` });
  };

  const stop = async ({ graceful = false } = {}) => {
    const c = child;
    if (!c) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    if (graceful) {
      const r = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      await r.call('shutdown', 'nosave').catch(() => undefined);
      r.disconnect();
    } else {
      // A frozen one too, without a moment to run first: SIGKILL ends a stopped process (a SIGCONT
      // before it would let Redis answer what waited in its connections).
      c.kill('SIGKILL');
    }
    const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url,
    port,
    stop,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    running: () => child !== null,
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
