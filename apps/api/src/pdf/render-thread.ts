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
 * role (`npm run bench -- --only=memory`). A young generation of 8 MiB instead of V8's 3 × 16; an
 * old-generation limit, which V8 also reads to size its heap's growth: at 1 GiB it collects a long
 * report's garbage during the render rather than let it pile up (a 20-page report's peak less than
 * half, for about a quarter more CPU on that report; two pages cost the same); a collection right after a
 * render that left more than 64 MiB on the heap; warm new threads in place of the old ones after 200
 * renders a thread (React-PDF keeps a little of every render).
 */
export const RENDER_THREAD_DEFAULTS = { youngGenerationMb: 8, maxHeapMb: 1024, gcAboveMb: 64, recycleAfterRenders: 200 } as const;
