import type { HealthView } from '@vetlab/shared';
import { createHttpApp } from '../../src/bootstrap';
import { startRedis, TestRedis } from '../support/redis-server';
import { createTestApp, createTestEnv, TestApp } from '../support/test-app';

/** Redis servers of the test's own, configured to evict or to refuse CONFIG. */
describe('Redis durability is checked at start and reported by /api/health', () => {
  const servers: TestRedis[] = [];
  const redis = async (opts: Parameters<typeof startRedis>[0]) => {
    const r = await startRedis(opts);
    servers.push(r);
    return r;
  };
  afterAll(() => Promise.all(servers.map((r) => r.close())));

  it('an evicting Redis: a production process refuses to start, naming the setting', async () => {
    const { url } = await redis({ maxmemoryPolicy: 'allkeys-lru' });
    const { config, cleanup } = await createTestEnv({ REDIS_URL: url, NODE_ENV: 'production', PASSWORD_HASH_COST: 'normal', PUBLIC_URL: 'https://lab.example.com' }, 'api');
    const app = await createHttpApp(config);
    try {
      await expect(app.init()).rejects.toThrow(/maxmemory-policy allkeys-lru.*refuses to start in production unless it is noeviction/);
    } finally {
      await app.close();
      await cleanup();
    }
  }, 30_000);

  describe('outside production', () => {
    let t: TestApp;
    afterEach(() => t?.close());

    it('an evicting Redis without persistence: it starts, and health reports the policy with warnings', async () => {
      const { url } = await redis({ maxmemoryPolicy: 'allkeys-lru' });
      t = await createTestApp({ REDIS_URL: url }, 'api');
      const body = (await t.http().get('/api/health').expect(200)).body as HealthView;
      expect(body.redis.durability).toEqual({
        maxmemoryPolicy: 'allkeys-lru',
        appendonly: 'no',
        save: '',
        warnings: [expect.stringMatching(/maxmemory-policy is allkeys-lru/), expect.stringMatching(/keeps nothing on disk/)],
      });
    }, 30_000);

    it('noeviction with an append-only file: no warning', async () => {
      const { url } = await redis({ appendonly: true });
      t = await createTestApp({ REDIS_URL: url }, 'api');
      const body = (await t.http().get('/api/health').expect(200)).body as HealthView;
      expect(body.redis.durability).toEqual({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '', warnings: [] });
    }, 30_000);

    it('a Redis that refuses CONFIG (some managed services): unknown, with a warning, and the process starts', async () => {
      const { url } = await redis({ withoutConfig: true });
      t = await createTestApp({ REDIS_URL: url }, 'api');
      const body = (await t.http().get('/api/health').expect(200)).body as HealthView;
      expect(body.redis.durability).toMatchObject({ maxmemoryPolicy: 'unknown', appendonly: 'unknown', save: 'unknown' });
      expect(body.redis.durability.warnings).toEqual([expect.stringMatching(/could not read the Redis settings/)]);
    }, 30_000);
  });
});
