import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { builtApi } from './api-build';

const ROOT = join(__dirname, '../../../..');

/** A command of the API's `main` (migrate, seed, create-admin…) run from this test run's build in a child process. */
export interface MainRun {
  child: ChildProcess;
  /** Everything it printed so far. */
  output: () => string;
  /** Its exit code (null when a signal ended it) and everything it printed. */
  done: Promise<{ code: number | null; output: string }>;
}

export function startMain(args: string[], env: Record<string, string>): MainRun {
  return startNode([builtApi('main.js'), ...args], env);
}

/** `node <args>` in the repository, with the test deployment's environment. */
export function startNode(args: string[], env: Record<string, string>): MainRun {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.once('exit', (code) => resolve({ code, output: out })));
  return { child, output: () => out, done };
}

/** Runs `main <args>` to its end. */
export function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return startMain(args, env).done;
}
