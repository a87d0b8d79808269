import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server';

/**
 * An S3-compatible server of the test's own (tools/s3-server.mjs: s3rver in a child process, its
 * objects in a temporary folder) that the test stops and starts for real, as it does Redis.
 */
export interface TestS3 {
  endpoint: string;
  port: number;
  bucket: string;
  /** The variables that point vetlab's storage at it (STORAGE_URL and the S3_* settings). */
  env: (prefix?: string) => Record<string, string>;
  /** SIGKILL (a crash); `start` brings it back on the same port and folder. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. `resume` thaws it. */
  pause(): void;
  resume(): void;
  running(): boolean;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const SCRIPT = join(__dirname, '../../../../tools/s3-server.mjs');

/** `conditionalWrites: false`: a server that ignores `If-None-Match` on puts (as some S3-compatible ones do). */
export async function startS3(opts: { bucket?: string; conditionalWrites?: boolean } = {}): Promise<TestS3> {
  const port = await freePort();
  const bucket = opts.bucket ?? 'vetlab-test';
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-s3-'));
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const start = async () => {
    if (child) return;
    const args = [SCRIPT, `--port=${port}`, `--dir=${dir}`, `--bucket=${bucket}`, ...(opts.conditionalWrites === false ? ['--no-conditional-writes'] : [])];
    const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the S3 server did not start within 10 s:\n${out}`)), 10_000);
      const onData = (b: Buffer) => {
        out = (out + b.toString()).slice(-4000);
        if (out.includes('s3 ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      c.stdout?.on('data', onData);
      c.stderr?.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
      c.once('exit', (code) => {
        if (child === c) child = null;
        clearTimeout(timer);
        reject(new Error(`the S3 server exited (${code}):\n${out}`));
      });
    });
  };

  const stop = async () => {
    const c = child;
    if (!c) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGCONT');
    c.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    endpoint,
    port,
    bucket,
    env: (prefix = 'files') => ({
      STORAGE_URL: `s3://${bucket}/${prefix}`,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    }),
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
