import { join } from 'node:path';

const dist = join(__dirname, '../../dist/api/apps/api/src');

/**
 * A module of the API's build (the code production runs, which the bench measures), typed by its
 * source: `compiledApi<typeof import('../../apps/api/src/x/y')>('x/y')`. The type import puts the
 * bench in the type graph, so tsc fails on any name or path a rename breaks.
 */
export function compiledApi<M>(sourcePath: string): M {
  return require(join(dist, `${sourcePath}.js`)) as M;
}
