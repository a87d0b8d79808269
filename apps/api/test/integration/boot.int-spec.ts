import { createTestApp, TestApp } from '../support/test-app';

describe('boot', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('serves OpenAPI and answers unknown routes with a 404 body', async () => {
    await t.http().get('/api/docs/openapi.json').expect(200);
    const res = await t.http().get('/api/does-not-exist').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await t.http().post('/api/anything').set('Content-Type', 'application/json').send('{bad');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/body/);
  });
});
