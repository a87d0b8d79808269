import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { collectGarbage } from '../common/collect-garbage';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics.service';
import type { PdfRenderer, RenderPriority, RenderRequest, RenderResult } from './pdf-renderer';
import { PriorityGate } from './priority-gate';
import { GC_ABOVE_ENV, NICE_ENV, RENDER_COLLECT_AFTER_MB_DEFAULT, RENDER_THREAD_DEFAULTS, RenderTask, RenderThreadInfo, RenderWarmMessage, TEST_API_BUILD_ENV, WARM_UP_ENV } from './render-thread';

const WARM_TIMEOUT_MS = 60_000;
/** A render (from the moment a thread takes it) that takes longer is abandoned; its thread is replaced. */
const RENDER_TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 30_000;
/** From the moment enough PDFs were handed out to the collection: time for their callers to store or send them. */
const COLLECT_DELAY_MS = 2_000;

/**
 * Where the render thread's entry is. The build has `render.worker.js` beside this file. From
 * TypeScript (jest, tools/run-ts.mjs) it is the test run's build when there is one
 * (TEST_API_BUILD_ENV), else `render.worker.ts`: the thread then loads it through
 * @swc-node/register, which compiles our TS/TSX and maps @vetlab/shared from the API's tsconfig
 * (about a second of CPU per thread); React-PDF's ESM packages load through Node's own
 * require(esm) as in the build.
 */
export function renderWorkerEntry(warmUpRenders = 3, nice = 0, gcAboveMb = 0): { filename: string; execArgv?: string[]; env: NodeJS.ProcessEnv } {
  // React's development build validates every element it creates (~30% of a render): the threads
  // only render, so they always take the production build.
  const env = { ...process.env, NODE_ENV: 'production', [WARM_UP_ENV]: String(warmUpRenders), [NICE_ENV]: String(nice), [GC_ABOVE_ENV]: String(gcAboveMb) };
  const js = join(__dirname, 'render.worker.js');
  if (__filename.endsWith('.js') && existsSync(js)) return { filename: js, env };
  const testBuild = process.env[TEST_API_BUILD_ENV];
  const built = testBuild && join(testBuild, 'apps/api/src/pdf/render.worker.js');
  if (built && existsSync(built)) return { filename: built, env };
  const ts = join(__dirname, 'render.worker.ts');
  if (!existsSync(ts)) throw new Error(`render worker not found next to ${__filename}`);
  return {
    filename: ts,
    execArgv: [...process.execArgv, '--require', require.resolve('@swc-node/register')],
    env: { ...env, SWC_NODE_PROJECT: join(__dirname, '../../tsconfig.json') },
  };
}

/** V8 heap limits of a render thread (worker_threads resourceLimits), in MiB. */
export interface RenderThreadLimits {
  maxYoungGenerationSizeMb?: number;
  maxOldGenerationSizeMb?: number;
}

/**
 * A render thread's heap limits. The young generation is what a render fills with short-lived
 * objects (layout boxes, text runs, PDF operators): V8 lets it grow to 3 × 16 MiB and keeps it
 * resident, so a small one keeps the thread's memory close to what it really holds, at the cost of
 * more (cheap) scavenges. The old generation limit turns a runaway render into an error of that
 * render (the thread is replaced) instead of a process the kernel kills.
 */
export function renderThreadLimits(pdf: { youngGenerationMb?: number; maxHeapMb?: number }): RenderThreadLimits {
  const young = pdf.youngGenerationMb ?? RENDER_THREAD_DEFAULTS.youngGenerationMb;
  const old = pdf.maxHeapMb ?? RENDER_THREAD_DEFAULTS.maxHeapMb;
  // 0: V8's own default.
  return { ...(young > 0 ? { maxYoungGenerationSizeMb: young } : {}), ...(old > 0 ? { maxOldGenerationSizeMb: old } : {}) };
}

/**
 * PdfRenderer on a pool of worker threads (piscina): a render blocks its thread's event loop for
 * its whole length, so it must never run on one that serves HTTP or renews Bull's locks.
 *
 * Lifecycle: module init starts the threads (with RENDER_START=first-render, the first render or
 * ping does) and each warms itself up (loads React-PDF, renders RENDER_WARM_UP_RENDERS throwaway
 * reports) without holding up the boot; a render that arrives meanwhile waits for a warm thread.
 * `start()` resolves when every thread is warm. Shutdown lets renders in flight finish (up to
 * 30 s), then stops the threads.
 */
@Injectable()
export class RenderPoolService implements PdfRenderer, OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('RenderPool');
  private readonly threads: number;
  private readonly warmUpRenders: number;
  /** RENDER_START: at module init, or at the first render (or ping). */
  private readonly startOnBoot: boolean;
  private readonly nice: number;
  private readonly resourceLimits: RenderThreadLimits;
  private readonly gcAboveMb: number;
  private readonly recycleAfter: number;
  private readonly collectAfterBytes: number;
  /** PDF bytes handed out since the last collection of this thread (RENDER_COLLECT_AFTER_MB). */
  private handedOut = 0;
  private collectTimer: NodeJS.Timeout | null = null;
  private collections = 0;
  /** Resolves once every thread has done its warm-up renders. */
  private warming: Promise<void> = Promise.resolve();
  private pool: Piscina<RenderTask, RenderResult> | null = null;
  private starting: Promise<void> | null = null;
  private cancelStart: ((e: Error) => void) | null = null;
  /** Renders wait here, by priority, rather than in piscina's first-come queue. */
  private readonly gate: PriorityGate;

  constructor(
    @Inject(APP_CONFIG) config: { pdf: Pick<AppConfig['pdf'], 'renderThreads'> & Partial<AppConfig['pdf']> },
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.threads = Math.max(1, config.pdf.renderThreads);
    this.warmUpRenders = Math.max(0, config.pdf.warmUpRenders ?? 3);
    this.startOnBoot = config.pdf.startOnBoot ?? true;
    this.nice = config.pdf.nice ?? 0;
    this.resourceLimits = renderThreadLimits(config.pdf);
    this.gcAboveMb = config.pdf.gcAboveMb ?? RENDER_THREAD_DEFAULTS.gcAboveMb;
    this.recycleAfter = config.pdf.recycleAfterRenders ?? RENDER_THREAD_DEFAULTS.recycleAfterRenders;
    this.collectAfterBytes = (config.pdf.collectAfterMb ?? RENDER_COLLECT_AFTER_MB_DEFAULT) * 1024 * 1024;
    this.gate = new PriorityGate(this.threads);
  }

  onModuleInit() {
    if (!this.startOnBoot) return;
    // Not awaited: the threads warm up while the rest of the app boots. A failure is logged here
    // and tried again by the next render.
    this.start().catch((e: Error) => this.log.error(`render threads failed to start: ${e.message}`));
  }

  async onApplicationShutdown() {
    await this.close();
  }

  /** Starts the threads; resolves once each has done its warm-up render (idempotent). */
  start(): Promise<void> {
    this.starting ??= this.startPool();
    return this.starting;
  }

  async render(request: RenderRequest, priority: RenderPriority = 'normal'): Promise<RenderResult> {
    await this.start();
    return this.gate.run(priority, () => this.renderNow(request));
  }

  private async renderNow(request: RenderRequest): Promise<RenderResult> {
    const pool = this.pool;
    if (!pool) throw new Error('the render pool is closed');
    let result: RenderResult;
    try {
      result = await pool.run(request, { signal: AbortSignal.timeout(RENDER_TIMEOUT_MS) });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw new Error(`PDF render did not finish within ${RENDER_TIMEOUT_MS} ms`);
      throw e;
    }
    this.countRender();
    this.metrics?.rendered(request.document, result.renderMs, result.threadId == null ? undefined : { id: result.threadId, heapUsed: result.heapUsed });
    const pdf = result.pdf;
    this.handedOutBytes(pdf.byteLength);
    // Same bytes, no copy: a Buffer is what storage, HTTP and nodemailer take.
    return { ...result, pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength) };
  }

  /**
   * The PDFs handed out live outside this thread's heap until full collections find them dead,
   * which an idle worker's main thread seldom runs on its own (RENDER_COLLECT_AFTER_MB_DEFAULT):
   * past the mark, a little later, once their callers are done with them, two collections a turn
   * of the event loop apart (measured: the first finds a moved buffer dead, only the second gives
   * its bytes back).
   */
  private handedOutBytes(bytes: number) {
    this.handedOut += bytes;
    if (!this.collectAfterBytes || this.handedOut < this.collectAfterBytes || this.collectTimer) return;
    this.collectTimer = setTimeout(() => {
      this.handedOut = 0;
      this.collections++;
      collectGarbage();
      setImmediate(() => {
        this.collectTimer = null;
        collectGarbage();
      });
    }, COLLECT_DELAY_MS);
    this.collectTimer.unref();
  }

  /**
   * Which thread answered, at which nice value, its heap: proves renders run off the caller's
   * thread, at low priority. With `collect`, the heap after a full collection (what is live).
   */
  async ping(opts: { collect?: boolean } = {}): Promise<RenderThreadInfo> {
    await this.start();
    if (!this.pool) throw new Error('the render pool is closed');
    return (await this.pool.run({ document: 'ping', collect: opts.collect })) as unknown as RenderThreadInfo;
  }

  /** Threads in the pool, renders waiting for one, renders done, full collections of this thread it asked for. */
  stats() {
    return { threads: this.pool?.threads.length ?? 0, queued: this.gate.queued + (this.pool?.queueSize ?? 0), completed: this.pool?.completed ?? 0, collections: this.collections };
  }

  async close(): Promise<void> {
    if (this.collectTimer) clearTimeout(this.collectTimer);
    this.collectTimer = null;
    // A replacement warming up ends first (stopping a thread in the middle of its warm-up can abort the process).
    await this.replacing;
    const pool = this.pool;
    this.pool = null;
    this.starting = null;
    const cancel = this.cancelStart;
    cancel?.(new Error('the render pool was closed while starting'));
    if (!pool) return;
    if (cancel) {
      // Still warming up: nothing real runs, but a thread stopped in the middle of a render can
      // abort the whole process (Node asserts when a zlib stream React-PDF has just created is
      // cleaned up before it was initialised). Let the warm-up renders end, then stop the threads.
      let wait: NodeJS.Timeout | undefined;
      await Promise.race([this.warming, new Promise((r) => (wait = setTimeout(r, WARM_TIMEOUT_MS)))]);
      clearTimeout(wait);
      return pool.destroy();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), CLOSE_TIMEOUT_MS)));
    const closed = await Promise.race([pool.close().then(() => 'closed' as const), timeout]);
    clearTimeout(timer);
    if (closed === 'timeout') {
      this.log.warn('renders still running at shutdown; stopping the threads');
      await pool.destroy();
    }
  }

  private createPool(): Piscina<RenderTask, RenderResult> {
    return new Piscina<RenderTask, RenderResult>({
      ...renderWorkerEntry(this.warmUpRenders, this.nice, this.gcAboveMb),
      minThreads: this.threads,
      maxThreads: this.threads,
      // Renders are CPU-bound: one at a time per thread; the rest wait in piscina's queue.
      concurrentTasksPerWorker: 1,
      // Between renders a thread returns to its event loop, so the collection after a render
      // (render.worker.ts) runs then, and V8's memory reducer later gives an idle thread's spare
      // pages back. Piscina's default parks an idle thread in Atomics.wait, where nothing runs: the
      // collection meant for after a render ran at the start of the next one, on its caller's time,
      // and an idle thread kept what its longest render had grown it to. It also starved React's
      // scheduler, which lets go of a finished render's root on a later turn: every render's fiber
      // tree stayed reachable (~150 KiB a two-page report), the leak thread recycling was made for.
      atomics: 'disabled',
      idleTimeout: Infinity,
      resourceLimits: this.resourceLimits,
    });
  }

  /** Renders done by the pool in use since it started; past recycleAfter × threads a warm replacement takes over. */
  private rendered = 0;
  private replacing: Promise<void> | null = null;

  private countRender() {
    this.rendered++;
    if (!this.recycleAfter || this.replacing || this.rendered < this.recycleAfter * this.threads) return;
    this.replacing = this.replacePool()
      .catch((e: Error) => this.log.warn(`render threads not replaced: ${e.message}`))
      .finally(() => (this.replacing = null));
  }

  /**
   * RENDER_THREAD_RECYCLE_RENDERS (off by default): after so many renders a new pool starts beside
   * the old one and warms up; once it is warm it takes the next renders, and the old one finishes
   * what it runs and stops. No render waits for a cold thread. A safety valve for a leak in a
   * rendering library, not needed now: a thread's memory stays flat over thousands of renders as
   * long as it returns to its event loop between them (pdf-render.int-spec). Each replacement costs
   * the new thread's warm-up and V8 compiling its code again (seconds of CPU on V8's helper threads).
   */
  private async replacePool(): Promise<void> {
    const old = this.pool;
    if (!old) return;
    const fresh = this.createPool();
    let warm = 0;
    let done!: () => void;
    let failed!: (e: Error) => void;
    const warmed = new Promise<void>((resolve, reject) => ((done = resolve), (failed = reject)));
    fresh.on('message', (m: RenderWarmMessage) => {
      if (m?.type !== 'vetlab:render-warm') return;
      if (m.error) failed(new Error(m.error));
      else if (++warm === this.threads) done();
    });
    fresh.on('error', (e: Error) => {
      this.log.error(`render pool: ${e.message}`);
      failed(e);
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([warmed, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not warm after ${WARM_TIMEOUT_MS} ms`)), WARM_TIMEOUT_MS)))]);
    } catch (e) {
      await fresh.destroy();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    // Closed (or restarted) meanwhile: the new threads are not wanted.
    if (this.pool !== old) return fresh.destroy();
    this.pool = fresh;
    this.rendered = 0;
    await old.close();
  }

  private async startPool(): Promise<void> {
    const started = Date.now();
    const warm: RenderWarmMessage[] = [];
    let allWarm!: () => void;
    const warmed = new Promise<void>((r) => (allWarm = r));
    this.warming = warmed;
    const pool = this.createPool();
    pool.on('message', (m: RenderWarmMessage) => {
      if (m?.type !== 'vetlab:render-warm') return;
      if (m.error) this.log.error(`render thread ${m.threadId} failed its warm-up render: ${m.error}`);
      warm.push(m);
      if (warm.length === this.threads) allWarm();
    });
    // A thread that failed will never warm: nothing is left to wait for when closing.
    pool.on('error', (e: Error) => {
      this.log.error(`render pool: ${e.message}`);
      allWarm();
    });
    this.pool = pool;

    let timer: NodeJS.Timeout | undefined;
    let cancel: ((e: Error) => void) | null = null;
    try {
      await Promise.race([
        warmed,
        // A thread that cannot load its entry never warms; a ping surfaces its error at once.
        (pool.run({ document: 'ping' }) as Promise<unknown>).then(
          () => warmed,
          (e: unknown) => {
            allWarm();
            throw e;
          },
        ),
        new Promise((_, reject) => {
          this.cancelStart = cancel = reject;
          timer = setTimeout(() => reject(new Error(`render threads not warm after ${WARM_TIMEOUT_MS} ms`)), WARM_TIMEOUT_MS);
        }),
      ]);
    } catch (e) {
      // Closed meanwhile: close() owns the pool. Otherwise drop it so the next render retries.
      if (this.pool === pool) {
        this.pool = null;
        this.starting = null;
        await pool.destroy();
      }
      throw e;
    } finally {
      clearTimeout(timer);
      if (this.cancelStart === cancel) this.cancelStart = null;
    }
    const each = warm.map((m) => `${m.ms} ms`).join(', ');
    this.log.log(`${this.threads} render thread(s) warm in ${Date.now() - started} ms (warm-up: ${each})`);
  }
}
