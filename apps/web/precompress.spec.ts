// @vitest-environment node
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_BYTES, precompress } from './precompress';

describe('precompress', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes .br and .gz beside the text files that shrink, each decompressing to the file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vetlab-precompress-'));
    mkdirSync(join(dir, 'assets'));
    const js = 'export const greeting = "hola";\n'.repeat(200);
    const css = '.row { color: teal; }\n'.repeat(100);
    writeFileSync(join(dir, 'assets', 'index-abc.js'), js);
    writeFileSync(join(dir, 'assets', 'index-abc.css'), css);
    writeFileSync(join(dir, 'assets', 'index-abc.js.map'), '{"mappings":"' + 'A'.repeat(5000) + '"}');
    writeFileSync(join(dir, 'assets', 'logo.png'), Buffer.alloc(4096, 7));
    writeFileSync(join(dir, 'assets', 'tiny.js'), 'x'.repeat(MIN_BYTES - 1));
    // Random bytes do not shrink: no copy that would be larger than the file.
    writeFileSync(join(dir, 'noise.txt'), randomBytes(4096));

    const done = await precompress(dir);

    expect(done.map((d) => d.file)).toEqual(['assets/index-abc.css', 'assets/index-abc.js', 'noise.txt']);
    const js0 = done.find((d) => d.file === 'assets/index-abc.js')!;
    expect(js0.bytes).toBe(js.length);
    expect(js0.br).toBeLessThan(js0.gzip);
    expect(js0.gzip).toBeLessThan(js0.bytes / 10);
    expect(brotliDecompressSync(readFileSync(join(dir, 'assets', 'index-abc.js.br'))).toString()).toBe(js);
    expect(gunzipSync(readFileSync(join(dir, 'assets', 'index-abc.css.gz'))).toString()).toBe(css);
    expect(done.find((d) => d.file === 'noise.txt')).toEqual({ file: 'noise.txt', bytes: 4096, br: 4096, gzip: 4096 });
    expect(readdirSync(dir).sort()).toEqual(['assets', 'noise.txt']);
    expect(readdirSync(join(dir, 'assets')).sort()).toEqual([
      'index-abc.css',
      'index-abc.css.br',
      'index-abc.css.gz',
      'index-abc.js',
      'index-abc.js.br',
      'index-abc.js.gz',
      'index-abc.js.map',
      'logo.png',
      'tiny.js',
    ]);
  });
});
