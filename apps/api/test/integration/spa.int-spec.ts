import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, TestApp } from '../support/test-app';

describe('the SPA from the API port', () => {
  const web = mkdtempSync(join(tmpdir(), 'vetlab-web-'));
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>vetlab</title>');
    writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(web, 'favicon.svg'), '<svg/>');
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

  it('never reaches outside the build, and leaves /api to the API', async () => {
    const escape = await t.http().get('/assets/..%2f..%2fpackage.json').expect(200);
    expect(escape.text).toContain('<title>vetlab</title>');
    const api = await t.http().get('/api/nope').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404 });
  });
});
