import { AsyncLocalStorage } from 'node:async_hooks';
import { get } from 'node:http';
import { FinalizeAccepted, JobKind, JobView, QueueName } from '@vetlab/shared';
import { collectGarbage } from '../../src/common/collect-garbage';
import { MetricsServer } from '../../src/metrics/metrics-server';
import { Metrics } from '../../src/metrics/metrics.service';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { parseExposition, Series, seriesOf, total } from '../support/prometheus';
import { startRedis, TestRedis } from '../support/redis-server';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, createTestEnv, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

const TOKEN = 'metrics-token-0123456789';

/** GET /metrics on an app's own metrics listener (the app here, or a port), over real HTTP. */
async function scrape(t: TestApp | number, auth: string | null = `Bearer ${TOKEN}`) {
  const port = typeof t === 'number' ? t : t.app.get(MetricsServer).address()!.port;
  const started = Date.now();
  // A connection of its own each time (no keep-alive pool left open after the test).
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/metrics', agent: false, headers: auth ? { Authorization: auth } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: body }));
    });
    req.on('error', reject);
  });
  return { status, text, ms: Date.now() - started, series: () => parseExposition(text) };
}

const httpCount = (s: Series[], route: string, method = 'GET', statusClass = '2xx') =>
  total(s, 'vetlab_http_request_duration_seconds_count', { route, method, status_class: statusClass });

describe('Prometheus metrics on a listener of their own', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vetA: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, METRICS_PORT: '0', METRICS_TOKEN: TOKEN, WORK_ORDER_PDF_PRERENDER: 'false' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('is refused without the bearer token or with a wrong one, and answers with it', async () => {
    expect((await scrape(t, null)).status).toBe(401);
    expect((await scrape(t, `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await scrape(t, TOKEN)).status).toBe(401);
    const ok = await scrape(t);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE vetlab_http_request_duration_seconds histogram');
  });

  it('counts requests under their route pattern, jobs by kind and outcome, renders, mails, queue depths and the pool', async () => {
    const before = (await scrape(t)).series();
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    for (let i = 0; i < 3; i++) await t.http().get(`/api/reports/${reportId}`).set(bearer(tok.staff)).expect(200);
    await t.http().get(`/api/reports/${reportId}`).expect(401);
    await t.http().get('/api/no-such-route/123').set(bearer(tok.staff)).expect(404);
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer))).body as JobView).state === 'completed', { what: 'the finalize' });
    // The report's mails go in jobs of their own.
    await waitUntil(async () => total((await scrape(t)).series(), 'vetlab_mail_attempts_total', { outcome: 'sent' }) >= 2, { what: 'the mails to be sent' });

    const after = (await scrape(t)).series();
    const route = '/api/reports/:id';
    expect(httpCount(after, route) - httpCount(before, route)).toBeGreaterThanOrEqual(3 + 1); // the draft's fill reads it too
    expect(httpCount(after, route, 'GET', '4xx') - httpCount(before, route, 'GET', '4xx')).toBe(1);
    expect(httpCount(after, '/api/reports/:id/finalize', 'POST')).toBe(1);
    expect(httpCount(after, '(unmatched)', 'GET', '4xx')).toBeGreaterThanOrEqual(1);
    // Never a URL with an id in it; every series names this process's role.
    const routes = new Set(seriesOf(after, 'vetlab_http_request_duration_seconds_count').map((s) => s.labels.route));
    expect([...routes].filter((r) => r.includes(reportId))).toEqual([]);
    expect(seriesOf(after, 'vetlab_http_request_duration_seconds_count').every((s) => s.labels.role === 'all')).toBe(true);

    const finalize = { kind: JobKind.FinalizeReport, outcome: 'completed' };
    expect(total(after, 'vetlab_job_attempts_total', finalize) - total(before, 'vetlab_job_attempts_total', finalize)).toBe(1);
    expect(total(after, 'vetlab_job_duration_seconds_count', finalize)).toBeGreaterThanOrEqual(1);
    expect(total(after, 'vetlab_job_attempts_total', { kind: JobKind.SendEmail, outcome: 'completed' })).toBeGreaterThanOrEqual(2);
    expect(total(after, 'vetlab_pdf_render_duration_seconds_count', { document: 'report' })).toBeGreaterThanOrEqual(1);
    expect(seriesOf(after, 'vetlab_pdf_render_thread_heap_bytes')[0]?.value).toBeGreaterThan(1e6);

    expect(total(after, 'vetlab_redis_up')).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(seriesOf(after, 'vetlab_queue_jobs', { queue: QueueName.Reports, state })).toHaveLength(1);
    }
    expect(seriesOf(after, 'vetlab_db_pool_connections').map((s) => s.labels.state).sort()).toEqual(['free', 'pending', 'used']);
    expect(total(after, 'vetlab_db_pool_connections', { state: 'used' }) + total(after, 'vetlab_db_pool_connections', { state: 'free' })).toBeGreaterThan(0);
    expect(seriesOf(after, 'nodejs_eventloop_lag_p99_seconds')).toHaveLength(1);
    expect(seriesOf(after, 'process_resident_memory_bytes')).toHaveLength(1);
  });
});

describe('metrics while Redis is away', () => {
  let redis: TestRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp({ REDIS_URL: redis.url, METRICS_PORT: '0', WORK_ORDER_PDF_PRERENDER: 'false' }, 'api');
  });
  afterAll(async () => {
    await t?.close();
    await redis?.close();
  });

  it('a scrape still answers within a second, with redis_up 0, when Redis is frozen and when it is stopped', async () => {
    const up = await scrape(t, null);
    expect(up.status).toBe(200);
    expect(total(up.series(), 'vetlab_redis_up')).toBe(1);
    expect(seriesOf(up.series(), 'vetlab_queue_jobs').length).toBeGreaterThan(0);

    redis.pause();
    try {
      const frozen = await scrape(t, null);
      expect(frozen.status).toBe(200);
      expect(frozen.ms).toBeLessThan(1000);
      expect(total(frozen.series(), 'vetlab_redis_up')).toBe(0);
      expect(seriesOf(frozen.series(), 'vetlab_queue_jobs')).toEqual([]);
    } finally {
      redis.resume();
    }

    await redis.stop();
    const down = await scrape(t, null);
    expect(down.status).toBe(200);
    expect(down.ms).toBeLessThan(1000);
    expect(total(down.series(), 'vetlab_redis_up')).toBe(0);
    expect(seriesOf(down.series(), 'process_cpu_user_seconds_total')).toHaveLength(1);

    await redis.start();
    await waitUntil(async () => total((await scrape(t, null)).series(), 'vetlab_redis_up') === 1, { what: 'redis_up 1 again' });
  });
});

describe('a worker process', () => {
  let worker: WorkerProcess | undefined;
  let cleanup = async () => undefined as void;

  afterAll(async () => {
    await worker?.stop();
    await cleanup();
  });

  it('serves its own metrics, labelled role worker', async () => {
    const test = await createTestEnv({ METRICS_PORT: '0', WORK_ORDER_PDF_PRERENDER: 'false', RENDER_WARM_UP_RENDERS: '0' }, 'worker');
    cleanup = test.cleanup;
    worker = startWorkerProcess(test.env);
    await worker.ready;
    const port = Number(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(worker.output())?.[1]);
    const s = (await scrape(port, null)).series();
    expect(total(s, 'vetlab_redis_up', { role: 'worker' })).toBe(1);
    expect(seriesOf(s, 'vetlab_queue_jobs', { role: 'worker', queue: QueueName.Mail, state: 'waiting' })).toHaveLength(1);
    expect(seriesOf(s, 'nodejs_eventloop_lag_p99_seconds', { role: 'worker' })).toHaveLength(1);
    expect(seriesOf(s, 'vetlab_http_request_duration_seconds_count')).toEqual([]);
  });
});

describe('an app that is closed', () => {
  it('is freed: nothing its metrics started (the GC observer, the event-loop histogram) keeps it in memory', async () => {
    // Made inside an async context that leads to the app, as a Jest hook's context leads to its
    // file's app: whatever the app leaves running with that context (or reaching its metrics) would
    // keep it. prom-client's GC observer, never disconnected, kept both.
    const context = new AsyncLocalStorage<{ t?: TestApp }>();
    const [app, metrics] = await context.run({}, async () => {
      const store = context.getStore()!;
      store.t = await createTestApp({ METRICS_PORT: '0', WORK_ORDER_PDF_PRERENDER: 'false' }, 'api');
      expect((await scrape(store.t, null)).text).toContain('nodejs_eventloop_lag_p99_seconds');
      await store.t.close();
      return [new WeakRef(store.t.app), new WeakRef(store.t.app.get(Metrics))] as const;
    });
    // A few rounds: what the app's sockets and timers held is let go over the next ticks.
    for (let i = 0; i < 10 && (app.deref() || metrics.deref()); i++) {
      await new Promise((r) => setTimeout(r, 50));
      collectGarbage();
    }
    expect({ metricsFreed: !metrics.deref(), appFreed: !app.deref() }).toEqual({ metricsFreed: true, appFreed: true });
  });
});
