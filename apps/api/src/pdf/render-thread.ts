import type { RenderRequest } from './pdf-renderer';

/** What the pool and its render threads exchange (the worker file is never imported by the app). */

/**
 * A render, or a ping: a no-op that proves a thread could load its entry; with `collect`, a full
 * collection of the thread's heap first, so its `heapUsedMb` is what is live.
 */
export type RenderTask = RenderRequest | { document: 'ping'; collect?: boolean };

/** A thread's answer to a ping: who it is, its nice value and its heap (what V8 holds for it, what is in use, MiB). */
export interface RenderThreadInfo {
  threadId: number;
  nice: number;
  heapMb: number;
  heapUsedMb: number;
}

/** Posted once by each thread when its warm-up renders are done (or failed). */
export interface RenderWarmMessage {
  type: 'vetlab:render-warm';
  threadId: number;
  ms: number;
  error?: string;
}

/** Environment variable telling a render thread how many warm-up renders to do. */
export const WARM_UP_ENV = 'VETLAB_RENDER_WARM_UP_RENDERS';

/** Environment variable telling a render thread the nice value (0–19) to give itself. */
export const NICE_ENV = 'VETLAB_RENDER_NICE';

/** Environment variable: the heap size (MiB) above which a render thread collects its garbage right after a render (0: never). */
export const GC_ABOVE_ENV = 'VETLAB_RENDER_GC_ABOVE_MB';

/**
 * Environment variable naming a build of the API made from the same sources for a test run (the
 * integration tests' global setup): a pool running from TypeScript starts its threads from that
 * build's `render.worker.js` rather than compiling the templates again in every thread.
 */
export const TEST_API_BUILD_ENV = 'VETLAB_TEST_API_BUILD';

/**
 * Memory settings of a render thread unless configured (RENDER_THREAD_*), measured on the worker
 * role (`npm run bench -- --only=memory`, bench/README.md). A report is laid out and drawn two pages
 * at a time (render-in-parts.ts), so what a render keeps alive is small and its garbage is mostly
 * that; then an old generation limited to 1 GiB collects that garbage during a long render instead
 * of letting it pile up: below 2 GiB V8 lets the heap grow only ~1.6× what survived a collection
 * (4× from 2 GiB up), which costs ~15–35 ms of CPU a render for a 20-page peak of ~30 MiB instead
 * of ~130. A young generation of 16 MiB instead of V8's 3 × 16 keeps an idle thread small. No
 * full collection after a render (it costs the next one CPU). No recycling of threads: a thread
 * that returns to its event loop between renders keeps nothing of them (React's scheduler lets go
 * of each render's root on that turn), and a fresh thread costs seconds of V8 compiling its code
 * again.
 */
export const RENDER_THREAD_DEFAULTS = { youngGenerationMb: 16, maxHeapMb: 1024, gcAboveMb: 0, recycleAfterRenders: 0 } as const;

/**
 * MiB of PDFs the pool hands to its callers between two full collections of the calling thread
 * (RENDER_COLLECT_AFTER_MB; 0: V8 decides). A PDF arrives as an ArrayBuffer moved from its render
 * thread, its bytes outside the heap. A worker's main thread allocates little between renders, so
 * V8 seldom collects it, and for external bytes only once they grew by some 64 MiB: measured on the
 * worker role, RSS rose ~28 KiB a 2-page report, 250 → 278 MiB over 1,000 renders, all of it such
 * garbage (a full collection every 50 renders kept it at 247–266 MiB).
 */
export const RENDER_COLLECT_AFTER_MB_DEFAULT = 8;
