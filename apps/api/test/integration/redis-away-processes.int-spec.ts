import { HealthView, ProtocolDetail } from '@vetlab/shared';
import request from 'supertest';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody } from '../support/protocols';
import { startRedis, TestRedis } from '../support/redis-server';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { ApiProcess, startApiProcess, startWorkerProcess, WorkerProcess } from '../support/worker-process';

jest.setTimeout(120_000);

/**
 * Redis away, met by processes as production runs them (this run's build, `serve --role=…`): there
 * a rejection nobody handles ends the process, which an app inside the test would not show. The
 * test's own app (role api) only seeds the data and signs tokens; the API process and the worker
 * share its database and its Redis server, which the test stops and freezes.
 */
describe('Redis away, met by real API and worker processes', () => {
  let redis: TestRedis;
  let t: TestApp;
  let f: Fixtures;
  let api: ApiProcess;
  let worker: WorkerProcess | undefined;
  let protocol: ProtocolDetail;
  const tok = { vetA: '' };

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp({ REDIS_URL: redis.url, JOB_BACKOFF_MS: '100' }, 'api');
    f = await seedFixtures(t.em());
    tok.vetA = await tokenFor(t, f.vetA);
    api = await startApiProcess(t.env);
    await api.ready;
  }, 90_000);
  afterAll(async () => {
    await worker?.crash();
    await api?.crash();
    await t?.close();
    await redis?.close();
  });

  const alive = (p: { child: { exitCode: number | null; signalCode: string | null } }) => p.child.exitCode === null && p.child.signalCode === null;

  it("a protocol submitted while Redis is stopped is saved at once (201); its work order's pre-render is left to the first open, and the API process stays up", async () => {
    await redis.stop();
    const started = Date.now();
    const res = await request(api.url).post('/api/protocols').set(bearer(tok.vetA)).send(protocolBody(f));
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(1000);
    protocol = res.body as ProtocolDetail;
    // The pre-render could not be queued: said in the log, and nothing else happens.
    await waitUntil(
      () => {
        if (!alive(api)) throw new Error(`the API process exited:\n${api.output().slice(-2000)}`);
        return api.output().includes(`pre-render of work order ${protocol.workOrderId} v1 not queued`);
      },
      { what: "the API process's note that the pre-render was not queued" },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(api)).toBe(true);
    await request(api.url).get(`/api/protocols/${protocol.id}`).set(bearer(tok.vetA)).expect(200);
  });

  it('a worker started while Redis is stopped comes up and waits for it instead of exiting, then takes jobs: the work order renders at its first open', async () => {
    expect(redis.running()).toBe(false);
    worker = startWorkerProcess(t.env);
    await worker.ready;
    // Refused, and refused again as it retries: the process goes on.
    await waitUntil(() => worker!.output().split('\n').filter((l) => l.includes('ECONNREFUSED')).length >= 6, { what: 'the worker retrying Redis' });
    expect(alive(worker)).toBe(true);

    await redis.start();
    // The API process answers 503 until its own connection is back.
    await waitUntil(async () => (await request(api.url).get('/api/health')).status === 200, { ms: 20_000, what: 'the API process healthy again' });
    const pdf = await waitUntil(
      async () => {
        const res = await request(api.url).get(`/api/work-orders/${protocol.workOrderId}/pdf`).set(bearer(tok.vetA)).buffer(true);
        if (res.status !== 200 && res.status !== 202) throw new Error(`unexpected ${res.status}: ${JSON.stringify(res.body)}`);
        return res.status === 200 ? res : null;
      },
      { ms: 30_000, what: 'the work order PDF, rendered by the worker that waited', every: 100 },
    );
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(alive(worker)).toBe(true);
  });

  it('Redis frozen (SIGSTOP): the health check answers 503 within its time limit, saying Redis gave no answer; 200 once it thaws', async () => {
    const health = () => request(api.url).get('/api/health');
    await health().expect(200);
    redis.pause();
    try {
      const started = Date.now();
      const res = await health();
      expect(Date.now() - started).toBeLessThan(2500);
      expect(res.status).toBe(503);
      expect((res.body as HealthView).redis).toMatchObject({ ok: false, latencyMs: null, error: 'no answer within 1500 ms' });
      expect((res.body as HealthView).database.ok).toBe(true);
    } finally {
      redis.resume();
    }
    await waitUntil(async () => (await health()).status === 200, { ms: 20_000, what: 'health 200 after the thaw' });
    expect(alive(api)).toBe(true);
  });
});
