import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');

/** A worker-role process of the API started from source, as production starts one. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed (for a failing test's message). */
  output: () => string;
  /** Resolves once it logged "worker started"; rejects if it exits first or takes too long. */
  ready: Promise<void>;
  /** SIGKILL: no shutdown hooks, locks left behind, as in a crash. */
  crash: () => Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop: () => Promise<void>;
}

export function startWorkerProcess(env: Record<string, string>, startMs = 45_000): WorkerProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/main.ts', 'serve', '--role=worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env, SWC_NODE_PROJECT: 'apps/api/tsconfig.json', LOG_LEVEL: 'log', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not started after ${startMs} ms:\n${out}`)), startMs);
    const check = () => {
      if (out.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it started:\n${out}`));
    });
  });
  ready.catch(() => undefined);
  const over = () => child.exitCode != null || child.signalCode != null;
  return {
    child,
    output: () => out,
    ready,
    crash: async () => {
      if (!over()) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (!over()) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
