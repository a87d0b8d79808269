import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BenchStack, EventLoopDelay, freePort, readEventLoop, waitForHealth } from './stack';

const root = join(__dirname, '../..');

/** The synchronous baseline server (bench/baseline/server.ts) beside a running stack. */
export interface Baseline {
  url: string;
  eventLoop: () => Promise<EventLoopDelay>;
  stop: () => Promise<void>;
}

/**
 * Starts the baseline as its own process (through tools/run-ts.mjs, in its own process group) on
 * the stack's database, data folder and JWT secret — the stack's tokens work there — with its own
 * port and Redis prefix, and the same number of render threads as the stack's worker.
 */
export async function startBaseline(stack: BenchStack): Promise<Baseline> {
  const port = await freePort();
  const eventLoopPort = await freePort();
  const env = {
    ...stack.env,
    PORT: String(port),
    REDIS_PREFIX: `bench-baseline-${randomBytes(3).toString('hex')}`,
    BENCH_EVENT_LOOP_PORT: String(eventLoopPort),
    BENCH_PARENT_PID: String(process.pid),
    // The pre-render of work orders is a queue job: the baseline has none.
    WORK_ORDER_PDF_PRERENDER: 'false',
  };
  const child: ChildProcess = spawn(process.execPath, [join(root, 'tools/run-ts.mjs'), 'bench/baseline/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHealth(url), exited.then(() => Promise.reject(new Error('the baseline server exited while starting')))]);
  } catch (e) {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    throw e;
  }
  return {
    url,
    eventLoop: () => readEventLoop(eventLoopPort),
    stop: async () => {
      if (child.exitCode !== null) return;
      // The group: run-ts.mjs and the server it started.
      process.kill(-child.pid!, 'SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
