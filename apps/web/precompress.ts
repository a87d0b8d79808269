import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files a browser fetches as text; images and fonts are compressed in their own formats already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|webmanifest)$/;
/** Below this a compressed copy saves less than its own headers and a file read cost. */
export const MIN_BYTES = 1024;

export interface Precompressed {
  /** Path relative to the folder, with `/`. */
  file: string;
  bytes: number;
  br: number;
  gzip: number;
}

/**
 * Writes `<file>.br` (brotli at its best quality) and `<file>.gz` beside every compressible file of
 * the folder of `MIN_BYTES` or more, each only when it is smaller than the file. The API serves
 * them as they are to a browser that accepts them (`@fastify/static`'s `preCompressed`), so nothing
 * is compressed per request and the slowest, best settings cost nothing at run time.
 * Source maps are left alone: only a developer's tools fetch them.
 */
export async function precompress(dir: string): Promise<Precompressed[]> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  const done = await Promise.all(
    files.map(async (path): Promise<Precompressed | null> => {
      const data = await readFile(path);
      if (data.length < MIN_BYTES) return null;
      const [br, gzipped] = await Promise.all([
        brotli(data, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        }),
        gz(data, { level: constants.Z_BEST_COMPRESSION }),
      ]);
      if (br.length < data.length) await writeFile(`${path}.br`, br);
      if (gzipped.length < data.length) await writeFile(`${path}.gz`, gzipped);
      const file = path.slice(dir.length + 1).split('\\').join('/');
      return { file, bytes: data.length, br: Math.min(br.length, data.length), gzip: Math.min(gzipped.length, data.length) };
    }),
  );
  return done.filter((d): d is Precompressed => d !== null).sort((a, b) => a.file.localeCompare(b.file));
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

/** The build's step: every file the bundle wrote gets its compressed copies, and the totals are logged. */
export function precompressPlugin(): Plugin {
  return {
    name: 'vetlab-precompress',
    apply: 'build',
    async writeBundle(options) {
      if (!options.dir) return;
      const done = await precompress(options.dir);
      const sum = (k: 'bytes' | 'br' | 'gzip') => done.reduce((s, d) => s + d[k], 0);
      this.info(`precompressed ${done.length} files: ${kib(sum('bytes'))} → ${kib(sum('br'))} brotli, ${kib(sum('gzip'))} gzip`);
    },
  };
}
