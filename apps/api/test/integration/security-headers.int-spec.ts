import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response, Test } from 'supertest';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const UUID = '00000000-0000-4000-8000-000000000000';

/** What every response must carry, whatever produced it. */
function expectSecurityHeaders(res: Response, what: string) {
  const h = res.headers;
  const seen = { what, csp: h['content-security-policy'], nosniff: h['x-content-type-options'], referrer: h['referrer-policy'], frame: h['x-frame-options'] };
  expect(seen).toEqual({
    what,
    csp: expect.stringContaining("frame-ancestors 'none'"),
    nosniff: 'nosniff',
    referrer: 'strict-origin-when-cross-origin',
    frame: 'DENY',
  });
  expect(h['content-security-policy']).toMatch(/default-src 'self'/);
  expect(h['content-security-policy']).toMatch(/frame-src 'self' blob:/);
  // Plain HTTP from a client: no HSTS (it would pin localhost to https).
  expect([what, h['strict-transport-security']]).toEqual([what, undefined]);
}

describe('security headers on every response', () => {
  const web = mkdtempSync(join(tmpdir(), 'vetlab-web-'));
  let t: TestApp;
  let f: Fixtures;
  let token: string;

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>vetlab</title>');
    writeFileSync(join(web, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await createTestApp({ WEB_DIST: web, WORK_ORDER_PDF_PRERENDER: 'false' });
    f = await seedFixtures(t.em());
    token = await tokenFor(t, f.admin);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('on every route of the API, whatever it answers (walked from the router via the OpenAPI document)', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path: path.replace(/\{[^}]+\}/g, UUID) })));
    expect(routes.length).toBeGreaterThan(30);
    const call = (method: string, path: string) => (t.http() as unknown as Record<string, (path: string) => Test>)[method](path);
    for (const { method, path } of routes) {
      expectSecurityHeaders(await call(method, path), `anonymous ${method.toUpperCase()} ${path}`);
      expectSecurityHeaders(await call(method, path).set(bearer(token)), `admin ${method.toUpperCase()} ${path}`);
    }
  });

  it('on JSON, errors, PDFs, CSV, the SPA and the OpenAPI page', async () => {
    const p = await submitProtocol(t, await tokenFor(t, f.vetA), protocolBody(f));
    const pdf = await waitUntil(
      async () => {
        const res = await t.http().get(`/api/work-orders/${p.workOrderId}/pdf`).set(bearer(token));
        return res.status === 200 ? res : null;
      },
      { what: 'the work-order PDF', every: 100 },
    );
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bulk = await t.http().post('/api/protocols/bulk').set(bearer(token)).send({ action: 'receive', ids: [p.id] }).expect(202);
    const responses: [string, Response][] = [
      ['JSON', await t.http().get('/api/protocols').set(bearer(token)).expect(200)],
      ['health', await t.http().get('/api/health')],
      ['401', await t.http().get('/api/protocols').expect(401)],
      ['404', await t.http().get('/api/nope').expect(404)],
      ['400 malformed JSON', await t.http().post('/api/protocols').set(bearer(token)).set('Content-Type', 'application/json').send('{bad').expect(400)],
      ['PDF', pdf],
      ['PDF 304', await t.http().get(`/api/work-orders/${p.workOrderId}/pdf`).set(bearer(token)).set('If-None-Match', pdf.headers.etag).expect(304)],
      ['CSV', await t.http().get(`/api/bulk/${bulk.body.bulkId}/items.csv`).set(bearer(token)).expect(200)],
      ['SPA index', await t.http().get('/protocols/123').expect(200)],
      ['SPA asset', await t.http().get('/assets/index-abc123.js').expect(200)],
      ['OpenAPI page', await t.http().get('/api/docs').expect(200)],
      ['OpenAPI JSON', await t.http().get('/api/docs/openapi.json').expect(200)],
    ];
    for (const [what, res] of responses) expectSecurityHeaders(res, what);
  });

  it('HSTS only when the request came over TLS through the trusted proxy', async () => {
    const viaTls = await t.http().get('/api/health').set('X-Forwarded-Proto', 'https');
    expect(viaTls.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
    const plain = await t.http().get('/api/health');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
