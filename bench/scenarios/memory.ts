import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Figure } from '../lib/report';
import { freePort } from '../lib/stack';
import { summarize } from '../lib/stats';

const root = join(__dirname, '../..');
const dist = join(root, 'dist/api/apps/api/src');
const main = join(dist, 'main.js');
const probe = join(root, 'bench/lib/render-probe.cjs');

/**
 * The two columns: the worker as it ships, and the same build with the render pool's memory
 * settings switched off (V8's defaults, no collection after a render, no recycling, no collection
 * of the PDFs handed out). Both render a
 * report in parts and let an idle thread return to its event loop: those are code, not settings.
 */
export const MEMORY_VARIANTS: Record<string, Record<string, string>> = {
  lean: {},
  'V8 defaults': { RENDER_THREAD_YOUNG_MB: '0', RENDER_THREAD_MAX_HEAP_MB: '0', RENDER_THREAD_GC_ABOVE_MB: '0', RENDER_THREAD_RECYCLE_RENDERS: '0', RENDER_COLLECT_AFTER_MB: '0' },
};

interface ProbeMemory {
  rssMiB: number;
  peakMiB: number;
  mainHeapMiB: number;
}
interface ProbeRender extends ProbeMemory {
  ms: number[];
  pages: number;
  cpuMs: number;
}

async function get<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`worker probe ${path}: ${body.error ?? res.status}`);
  return body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IDLE_AFTER_WORK_S = 20;

/** A worker role process as deployed (`main serve --role=worker`), with the render probe preloaded. */
async function startWorker(env: NodeJS.ProcessEnv): Promise<{ port: number; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  // BENCH_NODE_ARGS_WORKER, as for the stack's worker: Node or V8 options for a trial (e.g. --single-threaded-gc).
  const nodeArgs = process.env.BENCH_NODE_ARGS_WORKER?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--require', probe, main, 'serve', '--role=worker'], {
    env: { ...env, BENCH_RENDER_PORT: String(port), BENCH_API_DIST: dist },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}) before its render threads were warm`);
    try {
      await get(port, '/warm');
      return { port, child, stop };
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw e;
      }
      await sleep(250);
    }
  }
}

/**
 * Resident memory once it settles: the lowest of a few reads a quarter second apart, after `restMs`.
 * A worker's RSS still climbs for 2–3 s after its threads report warm (read every second: 156, 219,
 * 240, 244, 244 … MiB), so a read one second in fell anywhere on that climb.
 */
async function idleRss(port: number, restMs = 5000): Promise<number> {
  await sleep(restMs);
  let low = Infinity;
  for (let i = 0; i < 4; i++) {
    low = Math.min(low, (await get<ProbeMemory>(port, '/memory')).rssMiB);
    await sleep(250);
  }
  return low;
}

/**
 * Memory of the worker role as deployed: a real `--role=worker` process (database, Redis, every
 * queue processor, one warm render thread) on a freshly seeded demo database, its resident memory
 * read from /proc by a probe preloaded into it, which also hands reports to that process's own
 * render pool. Once per variant, one after the other (never at the same time): idle RSS; the peak
 * (VmHWM, reset first) over idle while it renders 2-page and then 20-page reports; then `renders`
 * two-page reports in a row, RSS after the first, after the warm-up (the first tenth) and at the end.
 */
export async function memoryScenario(opts: { renders: number; sizeRuns: number; driver?: 'sqlite' }): Promise<Record<string, Figure[]>> {
  const dir = join(root, 'data', 'memory', opts.driver ?? 'sqlite');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dir,
    SQLITE_PATH: join(dir, 'memory.sqlite'),
    REDIS_PREFIX: `bench-memory-${randomBytes(3).toString('hex')}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'https://lab.bench.invalid',
    RENDER_THREADS: '1',
    // Render times compare the variants: the threads take the CPU like any other, not below the rest of a busy machine.
    RENDER_NICE: '0',
    WORK_ORDER_PDF_PRERENDER: 'false',
  };
  delete env.DATABASE_URL;
  const seed = spawnSync(process.execPath, [main, 'seed', '--profile=demo', '--reset'], { env: { ...env, NODE_ENV: 'test', PASSWORD_HASH_COST: 'low' }, encoding: 'utf8' });
  if (seed.status !== 0) throw new Error(`seed failed:\n${seed.stdout}\n${seed.stderr}`);

  const byColumn: Record<string, Figure[]> = {};
  for (const [column, variant] of Object.entries(MEMORY_VARIANTS)) {
    const worker = await startWorker({ ...env, ...variant });
    const figures: Figure[] = (byColumn[column] = []);
    const add = (name: string, value: number, unit: string, target?: Figure['target'], detail?: Record<string, unknown>, runs?: number) =>
      figures.push({ scenario: 'memory', name, value, unit, target, detail, runs });
    try {
      const idle = await idleRss(worker.port);
      add('worker idle RSS, one warm render thread', idle, 'MiB', { op: '<=', value: 250 });
      for (const size of [
        { label: '2-page report', rows: 50, target: 40 },
        { label: '20-page report', rows: 680, target: 150 },
      ]) {
        await get(worker.port, '/memory?reset=1');
        const r = await get<ProbeRender>(worker.port, `/render?rows=${size.rows}&runs=${opts.sizeRuns}`);
        const s = summarize(r.ms);
        add(`${size.label}: peak RSS over idle`, r.peakMiB - idle, 'MiB', { op: '<=', value: size.target }, { peakMiB: r.peakMiB, idleMiB: idle, pages: r.pages }, opts.sizeRuns);
        add(`${size.label}: render p50`, s.p50, 'ms', undefined, { ...s, pages: r.pages }, opts.sizeRuns);
        add(`${size.label}: CPU per render`, r.cpuMs / opts.sizeRuns, 'ms', undefined, undefined, opts.sizeRuns);
      }
      // The long run: RSS read after every batch.
      const batch = Math.max(1, Math.round(opts.renders / 20));
      const warmAt = Math.max(batch, Math.round(opts.renders / 10));
      const first = (await get<ProbeRender>(worker.port, '/render?rows=50&runs=1')).rssMiB;
      const samples: { renders: number; rssMiB: number }[] = [{ renders: 1, rssMiB: first }];
      const ms: number[] = [];
      // The process's CPU (every thread: the render thread, V8's compiler and collector threads, the
      // main thread) over the batches after warm-up, per render.
      let cpuMs = 0;
      let cpuRenders = 0;
      let done = 1;
      while (done < opts.renders) {
        const n = Math.min(batch, opts.renders - done);
        const r = await get<ProbeRender>(worker.port, `/render?rows=50&runs=${n}`);
        if (done >= warmAt) {
          cpuMs += r.cpuMs;
          cpuRenders += n;
        }
        done += n;
        ms.push(...r.ms);
        samples.push({ renders: done, rssMiB: r.rssMiB });
      }
      const warm = samples.find((s) => s.renders >= warmAt)!.rssMiB;
      const last = samples[samples.length - 1].rssMiB;
      // With RENDER_THREAD_RECYCLE_RENDERS set, threads are replaced every so many renders and RSS is
      // a saw: the highest read of the second half against the highest of the first half (after
      // warm-up) says whether it still grows.
      const half = warmAt + (opts.renders - warmAt) / 2;
      const highest = (from: number, to: number) => Math.max(...samples.filter((s) => s.renders >= from && s.renders <= to).map((s) => s.rssMiB));
      const firstHalf = highest(warmAt, half);
      const secondHalf = highest(half + 1, opts.renders);
      add(`${opts.renders} two-page renders: RSS after the first`, first, 'MiB');
      add(`${opts.renders} two-page renders: RSS after warm-up (${warmAt})`, warm, 'MiB');
      add(`${opts.renders} two-page renders: RSS at the end`, last, 'MiB', undefined, { samples });
      add(`${opts.renders} two-page renders: highest RSS in the first half after warm-up`, firstHalf, 'MiB');
      add(`${opts.renders} two-page renders: highest RSS in the second half`, secondHalf, 'MiB');
      add(`${opts.renders} two-page renders: growth after warm-up (highest, second half / first half)`, ((secondHalf - firstHalf) / firstHalf) * 100, '%', { op: '<=', value: 5 }, { firstHalfMiB: firstHalf, secondHalfMiB: secondHalf, lastMiB: last });
      add(`${opts.renders} two-page renders: render p50`, summarize(ms).p50, 'ms', undefined, { ...summarize(ms) }, ms.length);
      // Idle again after work, once V8's memory reducer (which runs some seconds into an idle spell)
      // has given back what it will: what a worker that rendered a burst holds until the next one.
      add(`worker idle RSS ${IDLE_AFTER_WORK_S} s after the ${opts.renders} renders`, await idleRss(worker.port, IDLE_AFTER_WORK_S * 1000), 'MiB');
      if (cpuRenders) add(`${opts.renders} two-page renders: process CPU per render after warm-up`, cpuMs / cpuRenders, 'ms', undefined, undefined, cpuRenders);
    } finally {
      await worker.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return byColumn;
}
