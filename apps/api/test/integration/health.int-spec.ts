import type { HealthView } from '@vetlab/shared';
import { testDriver } from '../support/services';
import { createTestApp, TestApp } from '../support/test-app';

describe('GET /api/health', () => {
  describe('with every dependency up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('answers 200 without a token, with latencies of both dependencies', async () => {
      const res = await t.http().get('/api/health').expect(200);
      const body = res.body as HealthView;
      expect(body).toMatchObject({ status: 'ok', role: 'all', database: { ok: true, driver: testDriver() }, redis: { ok: true } });
      expect(body.database.latencyMs).toEqual(expect.any(Number));
      expect(body.redis.latencyMs).toEqual(expect.any(Number));
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      // Nothing listens on port 1: the API must still boot and report Redis as down. The api role
      // (health is its concern) registers no processors, whose connection set-up Bull leaves
      // unawaited and which then fails unhandled when Redis refuses.
      t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' }, 'api');
    });
    afterAll(async () => {
      await t?.close();
      // ioredis gives a client that never connected 2 s (disconnectTimeout) to close its socket;
      // wait that out so Jest does not report open handles.
      await new Promise((r) => setTimeout(r, 2100));
    });

    it('answers 503 quickly with the same body shape, database still ok', async () => {
      const started = Date.now();
      const res = await t.http().get('/api/health').expect(503);
      expect(Date.now() - started).toBeLessThan(2500);
      const body = res.body as HealthView;
      expect(body.status).toBe('down');
      expect(body.database.ok).toBe(true);
      expect(body.redis).toMatchObject({ ok: false, latencyMs: null });
      expect(body.redis.error).toEqual(expect.any(String));
    });
  });
});
