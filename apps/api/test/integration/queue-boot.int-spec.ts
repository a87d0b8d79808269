import { createConnection, createServer, Server, Socket } from 'node:net';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { TEST_REDIS_URL } from '../support/services';
import { createTestApp, TestApp } from '../support/test-app';

/** A proxy to Redis that opens each connection upstream only `ms` after the client connected (a slow network, a loaded machine), holding what the client sent until then. */
async function slowProxy(ms: number): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    const held: Buffer[] = [];
    let upstream: Socket | null = null;
    client.on('data', (b: Buffer) => (upstream ? upstream.write(b) : held.push(b)));
    const timer = setTimeout(() => {
      const up = createConnection({ host: target.hostname, port: Number(target.port || 6379) }, () => {
        for (const b of held) up.write(b);
        upstream = up;
      });
      sockets.add(up);
      up.on('data', (b) => client.write(b));
      up.on('error', () => client.destroy()).on('close', () => client.destroy());
    }, ms);
    client.on('error', () => undefined).on('close', () => {
      clearTimeout(timer);
      upstream?.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(TEST_REDIS_URL);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  return {
    url: url.toString(),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('an API process whose Redis connections open slowly', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof slowProxy>>;

  beforeAll(async () => {
    proxy = await slowProxy(500);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('serves only once its queues are connected: its first request that needs one is not a 503', async () => {
    t = await createTestApp({ REDIS_URL: proxy.url, JOB_STRANDED_SWEEP_MS: '0' }, 'api');
    expect(t.app.get(JobQueues).ready()).toBe(true);
    const health = await t.http().get('/api/health');
    expect([health.status, health.body]).toEqual([200, expect.objectContaining({ status: 'ok' })]);
  }, 30_000);
});
