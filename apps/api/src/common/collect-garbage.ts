import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full V8 collection of the calling thread's heap, without starting Node with --expose-gc: the
 * flag is process-wide, and a context created after it is set has `gc`. For the few places that
 * know better than V8's heuristics when much has just become garbage (render.worker.ts,
 * RenderPoolService).
 */
export const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
