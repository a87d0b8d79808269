import { JobQueues } from '../../src/jobs/job-queues.service';
import { TEST_REDIS_URL } from '../support/services';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { createTestApp, TestApp } from '../support/test-app';

describe('an API process whose Redis connections open slowly', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(redis.hostname, Number(redis.port || 6379));
    // Each Redis connection opens 500 ms late (a slow network, a loaded machine).
    proxy.delayOpen(500);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('serves only once its queues are connected: its first request that needs one is not a 503', async () => {
    t = await createTestApp({ REDIS_URL: proxy.via(TEST_REDIS_URL), JOB_STRANDED_SWEEP_MS: '0' }, 'api');
    expect(t.app.get(JobQueues).ready()).toBe(true);
    const health = await t.http().get('/api/health');
    expect([health.status, health.body]).toEqual([200, expect.objectContaining({ status: 'ok' })]);
  }, 30_000);
});
