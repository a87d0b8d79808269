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
