import { get } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createTestApp, TestApp } from '../support/test-app';

/** A GET over plain HTTP with the given Accept-Encoding, the body as it came (supertest would decode it). */
function fetchRaw(url: string, acceptEncoding: string | null) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = get(url, { agent: false, headers: acceptEncoding === null ? {} : { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
}

describe('the SPA from the API port', () => {
  const web = mkdtempSync(join(tmpdir(), 'vetlab-web-'));
  const BIG_JS = 'export function row(p) { return p.code + " " + p.animal; }\n'.repeat(500);
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>vetlab</title>');
    writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(web, 'favicon.svg'), '<svg/>');
    // As the build writes them (apps/web/precompress.ts): .br and .gz beside a text file.
    writeFileSync(join(web, 'assets', 'app-def456.js'), BIG_JS);
    writeFileSync(join(web, 'assets', 'app-def456.js.br'), brotliCompressSync(BIG_JS));
    writeFileSync(join(web, 'assets', 'app-def456.js.gz'), gzipSync(BIG_JS));
    t = await createTestApp({ WEB_DIST: web }, 'api');
  });
  afterAll(async () => {
    await t?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves hashed assets as immutable, other files for an hour, and index.html for client routes', async () => {
    const asset = await t.http().get('/assets/index-abc123.js').expect(200);
    expect(asset.text).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    const icon = await t.http().get('/favicon.svg').expect(200);
    expect(icon.headers['cache-control']).toBe('public, max-age=3600');
    for (const route of ['/', '/protocols/123', '/index.html', '/assets/missing.js']) {
      const page = await t.http().get(route).expect(200);
      expect([route, page.headers['cache-control'], page.text]).toEqual([route, 'no-cache', '<!doctype html><title>vetlab</title>']);
    }
  });

  it("sends the build's compressed copy a browser accepts (brotli first), the file itself otherwise", async () => {
    const url = `${t.url}/assets/app-def456.js`;
    const br = await fetchRaw(url, 'gzip, deflate, br, zstd');
    expect([br.status, br.headers['content-encoding'], br.headers['content-type']]).toEqual([200, 'br', 'application/javascript; charset=utf-8']);
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toMatch(/immutable/);
    expect(br.body.length).toBeLessThan(BIG_JS.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(BIG_JS);

    const gz = await fetchRaw(url, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(BIG_JS);

    for (const accept of [null, 'identity', 'zstd']) {
      const plain = await fetchRaw(url, accept);
      expect([accept, plain.status, plain.headers['content-encoding'], plain.body.toString() === BIG_JS]).toEqual([accept, 200, undefined, true]);
      // A cache in between keeps the copies apart.
      expect(plain.headers['vary']).toMatch(/accept-encoding/i);
    }
    // A file the build left without copies (too small to gain) is sent as it is.
    const small = await fetchRaw(`${t.url}/assets/index-abc123.js`, 'br');
    expect([small.headers['content-encoding'], small.body.toString()]).toEqual([undefined, 'console.log(1)']);
  });

  it('never reaches outside the build, and leaves /api to the API', async () => {
    const escape = await t.http().get('/assets/..%2f..%2fpackage.json').expect(200);
    expect(escape.text).toContain('<title>vetlab</title>');
    const api = await t.http().get('/api/nope').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404 });
  });
});
