import type { RenderRequest } from './pdf-renderer';

/** What the pool and its render threads exchange (the worker file is never imported by the app). */

/** A render, or a no-op that proves a thread could load its entry. */
export type RenderTask = RenderRequest | { document: 'ping' };

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
 * Memory settings of a render thread unless configured (RENDER_THREAD_*): measured on the worker
 * role (`npm run bench -- --only=memory`). A young generation of 8 MiB instead of V8's 3 × 16; no
 * old-generation limit by default (V8's own): a limit of 1 GiB, which V8 also reads to size its heap's
 * growth, collects a long report's garbage during the render rather than let it pile up (a 20-page
 * report's peak less than half) but costs that render a quarter to a half more CPU, and render time
 * is what a person waits for, so it is a setting (RENDER_THREAD_MAX_HEAP_MB=1024) for a worker short
 * of memory; a collection right after a render that left more than 64 MiB on the heap; warm new
 * threads in place of the old ones after 200 renders a thread (React-PDF keeps a little of every render).
 */
export const RENDER_THREAD_DEFAULTS = { youngGenerationMb: 8, maxHeapMb: 0, gcAboveMb: 64, recycleAfterRenders: 200 } as const;
