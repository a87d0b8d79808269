import { BulkAccepted, ErrorBody, ProtocolStatus, ReportVersionStatus, rooms, UnavailableCode } from '@vetlab/shared';
import type { Response } from 'supertest';
import { BulkRun } from '../../src/bulk/bulk-run.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { RealtimeService } from '../../src/realtime/realtime.service';
import { MAX_UNANSWERED_EVENTS, PUBLISH_STALL_MS } from '../../src/redis/redis.module';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { startRedis, TestRedis } from '../support/redis-server';
import { readyReport } from '../support/reports';
import { record, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

/**
 * A Redis of the test's own (no append-only file: a restart comes back empty), stopped and frozen
 * for real. The API runs here (role api); the worker is a child process whose stranded-job sweep
 * runs every 300 ms, so work the database expects is queued again once Redis is back.
 */
describe('Redis away: requests that would enqueue answer 503 at once, and what was committed heals', () => {
  let redis: TestRedis;
  let t: TestApp;
  let f: Fixtures;
  let worker: WorkerProcess;
  const sockets = new SocketPool();
  const tok = { signer: '', staff: '', vetA: '', admin: '' };

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp(
      { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '500', WORK_ORDER_PDF_PRERENDER: 'false', JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500' },
      'api',
    );
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.admin].map((u) => tokenFor(t, u)));
    worker = startWorkerProcess({ ...t.env, JOB_STRANDED_SWEEP_MS: '300' });
    await worker.ready;
  }, 90_000);

  afterAll(async () => {
    sockets.closeAll();
    await worker?.crash();
    await t?.close();
    await redis?.close();
  });

  const finalize = (reportId: string) => t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send();
  const bulk = (ids: string[]) => t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids });
  const openWorkOrder = (id: string) => t.http().get(`/api/work-orders/${id}/pdf`).set(bearer(tok.vetA));
  const login = () => t.http().post('/api/auth/login').send({ email: f.staff.email, password: PASSWORD });
  const health = () => t.http().get('/api/health');
  const versionOf = (reportId: string) => t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });

  /** The request's answer and how long it took. */
  const timed = async (request: () => PromiseLike<Response>) => {
    const started = Date.now();
    const res = await request();
    return { res, ms: Date.now() - started };
  };

  /** A 503 within a second that names the service, with Retry-After. */
  const expectUnavailable = ({ res, ms }: { res: Response; ms: number }, code: UnavailableCode) => {
    expect([res.status, (res.body as ErrorBody).code]).toEqual([503, code]);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((res.body as ErrorBody).message).toMatch(/Redis/);
    expect(ms).toBeLessThan(1000);
  };

  const backUp = async () => {
    await redis.start();
    await waitUntil(async () => (await health()).status === 200, { ms: 20_000, what: 'health 200 after Redis restarted' });
  };

  /** One finalize job for the report, completed, and the version finalized. */
  const finalizedOnce = async (reportId: string) => {
    const done = async () => {
      const jobs = await t.em().find(JobRecord, { subjectId: reportId });
      return jobs.length === 1 && jobs[0].state === 'completed' ? jobs : null;
    };
    const [job] = await waitUntil(done, { ms: 40_000, what: `the finalize job of report ${reportId} completed, alone` });
    expect(job.kind).toBe('finalize_report');
    expect((await versionOf(reportId)).status).toBe(ReportVersionStatus.Finalized);
  };

  it('stopped: finalize, bulk, a cold work-order open and login answer 503 within a second and commit nothing; all work again once it is back', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const cold = await submitProtocol(t, tok.vetA, protocolBody(f));
    const ids = await insertProtocols(t, 5, { clinics: [f.clinicA], createdBy: f.vetA });

    await redis.stop();
    await waitUntil(async () => (await health()).status === 503, { ms: 5000, what: 'health 503 with Redis stopped' });

    expectUnavailable(await timed(() => finalize(reportId)), UnavailableCode.Queue);
    expectUnavailable(await timed(() => bulk(ids)), UnavailableCode.Queue);
    expectUnavailable(await timed(() => openWorkOrder(cold.workOrderId)), UnavailableCode.Queue);
    expectUnavailable(await timed(login), UnavailableCode.RateLimiter);
    // Nothing committed: no claim, no run, no render job.
    expect((await versionOf(reportId)).status).toBe(ReportVersionStatus.Draft);
    expect(await t.em().count(BulkRun, {})).toBe(0);
    expect(await t.em().count(WorkOrderPdf, { workOrder: cold.workOrderId })).toBe(0);

    await backUp();
    // The queues' own connections come back a moment after the health check's.
    await waitUntil(async () => (await finalize(reportId)).status === 202, { ms: 10_000, what: 'finalize accepted again' });
    await finalizedOnce(reportId);
    const run = (await bulk(ids).expect(202)).body as BulkAccepted;
    expect((await runOver(t, run.bulkId)).state).toBe('completed');
    expect((await openWorkOrder(cold.workOrderId)).status).toBe(202);
    await waitUntil(async () => (await openWorkOrder(cold.workOrderId)).status === 200, { ms: 30_000, what: 'work-order PDF rendered' });
    await login().expect(200);
  }, 120_000);

  it('frozen after a commit: the answer is a 503 within a second, and the claim and the run it left are queued again by the sweep once Redis is back (empty)', async () => {
    const { reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const ids = await insertProtocols(t, 5, { clinics: [f.clinicA], createdBy: f.vetA });

    // Its connections stay open: the readiness check passes, the enqueue after the commit gets no answer.
    redis.pause();
    expectUnavailable(await timed(() => finalize(reportId)), UnavailableCode.Queue);
    expectUnavailable(await timed(() => bulk(ids)), UnavailableCode.Queue);
    expectUnavailable(await timed(login), UnavailableCode.RateLimiter);
    expect((await versionOf(reportId)).status).toBe(ReportVersionStatus.Finalizing);
    const [run] = await t.em().find(BulkRun, {}, { orderBy: { number: 'desc' }, limit: 1 });
    expect(run.state).toBe('queued');

    // Redis dies frozen and restarts without its data: only the database remembers the work. A new
    // worker (a long-lived one's Bull clients may still be backing off after two outages) sweeps it up.
    await redis.stop();
    await worker.crash();
    await backUp();
    worker = startWorkerProcess({ ...t.env, JOB_STRANDED_SWEEP_MS: '300' });
    await worker.ready;
    await finalizedOnce(reportId);
    expect((await runOver(t, run.id)).state).toBe('completed');
  }, 120_000);

  /**
   * The vet's socket, what it received, and `emit` (a protocol:updated to that vet through the
   * emitter), once an event gets through: the emitter's client may still be reconnecting after the
   * outage of the test before, and an event it drops meanwhile is the behaviour under test.
   */
  const vetEvents = async () => {
    const socket = await sockets.connect(t, tok.vetA);
    const seen = record(socket, 'protocol:updated');
    const realtime = t.app.get(RealtimeService);
    const emit = (protocolId: string, version: number) => realtime.emit([rooms.user(f.vetA.id)], 'protocol:updated', { protocolId, status: ProtocolStatus.Received, version });
    await waitUntil(
      () => {
        emit('before', 0);
        return seen.length > 0;
      },
      { ms: 15_000, every: 200, what: 'an event to the vet before the test' },
    );
    const { redis: client } = realtime as unknown as { redis: Record<'offlineQueue' | 'commandQueue', { length: number }> };
    return { seen, emit, client };
  };

  /** Keeps sending until an event sent now arrives (the adapter subscribes again on its own). */
  const flowsAgain = (emit: (protocolId: string, version: number) => void, seen: { protocolId: string }[]) =>
    waitUntil(
      () => {
        emit('after', 0);
        return seen.some((e) => e.protocolId === 'after');
      },
      { ms: 10_000, every: 100, what: 'an event after the outage' },
    );

  it('socket events produced while it is away are dropped at once, not held and delivered late; later ones arrive', async () => {
    const { seen, emit, client } = await vetEvents();
    await redis.stop();
    for (let i = 1; i <= 5000; i++) emit('during', i);
    // Nothing waits in the emitter's client for Redis to return; at most a bounded few were written
    // to a socket whose end the client had not noticed yet.
    expect(client.offlineQueue.length).toBe(0);
    expect(client.commandQueue.length).toBeLessThanOrEqual(MAX_UNANSWERED_EVENTS);
    await backUp();
    await flowsAgain(emit, seen);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((e) => e.protocolId === 'during')).toEqual([]);
  }, 60_000);

  it('events written just before the connection drops (never answered) are not sent again once it is back', async () => {
    const { seen, emit, client } = await vetEvents();
    // Frozen, then killed: the events are written to the connection and stay unanswered until it
    // closes, as when Redis dies between a write and its reply (ioredis keeps such commands and
    // writes them again after reconnecting).
    redis.pause();
    for (let i = 1; i <= 3; i++) emit('unanswered', i);
    expect(client.commandQueue.length).toBeGreaterThanOrEqual(3);
    await redis.stop();
    await backUp();
    await flowsAgain(emit, seen);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((e) => e.protocolId === 'unanswered')).toEqual([]);
  }, 60_000);

  it('a burst Redis answers is never dropped: 5,000 events sent in one go (a bulk chunk of notices) all arrive', async () => {
    const { seen, emit } = await vetEvents();
    for (let i = 1; i <= 5000; i++) emit('burst', i);
    await waitUntil(() => seen.filter((e) => e.protocolId === 'burst').length === 5000, { ms: 20_000, what: 'all 5,000 events of the burst' });
    expect(seen.filter((e) => e.protocolId === 'burst').map((e) => e.version)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
  }, 60_000);

  it('frozen (SIGSTOP): once no publish has been answered for PUBLISH_STALL_MS, events are dropped at once, not held; later ones arrive after the thaw', async () => {
    const { seen, emit, client } = await vetEvents();
    redis.pause();
    try {
      emit('held', 1); // sent before anyone can tell: held, delivered after the thaw
      await new Promise((r) => setTimeout(r, PUBLISH_STALL_MS + 300));
      const queued = client.commandQueue.length;
      for (let i = 1; i <= 5000; i++) emit('during', i);
      expect(client.commandQueue.length).toBe(queued);
      expect(client.offlineQueue.length).toBe(0);
    } finally {
      redis.resume();
    }
    await flowsAgain(emit, seen);
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.filter((e) => e.protocolId === 'during')).toEqual([]);
  }, 60_000);
});
