import { AuditAction, FinalizeAccepted, JobKind, JobState, OpsOverview, QueueName, QueuePause } from '@vetlab/shared';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { QueuePauses } from '../../src/ops/queues/queue-pauses.service';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { PauseKeeper } from '../../src/ops/queues/pause-keeper.service';
import { QueuePauseRow } from '../../src/ops/queues/queue-pause.entity';
import { QueuePausesRepository } from '../../src/ops/queues/queue-pauses.repository';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { nextEvent, record, SocketPool, whoami } from '../support/socket';
import { TEST_REDIS_URL } from '../support/services';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const MINUTE = 60_000;

describe('ops: queues at a glance, pauses, live overview', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let redis: Redis;
  const sockets = new SocketPool();
  const tok = { admin: '', staff: '', signer: '', vet: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    // The pause check is left to the tests (PauseKeeper.check) so that each sees one outcome; the tick is quick.
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50', OPS_OVERVIEW_CACHE_MS: '0', OPS_TICK_MS: '100', OPS_PAUSE_CHECK_MS: '3600000', OPS_HEARTBEAT_MS: '500' });
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.signer, tok.vet] = await Promise.all([f.admin, f.staff, f.signer, f.vetA].map((u) => tokenFor(t, u)));
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    sockets.closeAll();
    redis?.disconnect();
    await t?.close();
    await smtp?.close();
  });

  const overview = async () => (await t.http().get('/api/ops/overview').set(bearer(tok.admin)).expect(200)).body as OpsOverview;
  const card = (o: OpsOverview, q: QueueName) => o.queues.find((c) => c.queue === q)!;
  const pause = (q: QueueName, body: object = { reason: 'mantenimiento del SMTP' }, token = tok.admin) => t.http().post(`/api/ops/queues/${q}/pause`).set(bearer(token)).send(body);
  const resume = (q: QueueName, token = tok.admin) => t.http().post(`/api/ops/queues/${q}/resume`).set(bearer(token)).send();
  const metaPaused = (q: QueueName) => `${t.config.redis.prefix}:bull:${q}:meta-paused`;
  const keeper = () => t.app.get(PauseKeeper);

  describe('who may', () => {
    // Every row has three cells: jest would pass `done` for a missing one.
    const routes: [string, string, object | null][] = [
      ['get', '/api/ops/overview', null],
      ['get', '/api/ops/pauses', null],
      ['post', '/api/ops/queues/bulk/pause', { reason: 'probando permisos' }],
      ['post', '/api/ops/queues/bulk/resume', null],
    ];
    it.each(routes)('%s %s: 401 without a token, 404 for a vet, 403 for staff', async (method, path, body) => {
      const call = (token?: string) => {
        const req = method === 'get' ? t.http().get(path) : t.http().post(path).send(body ?? {});
        return token ? req.set(bearer(token)) : req;
      };
      await call().expect(401);
      const hidden = await call(tok.vet).expect(404);
      expect(hidden.body.message).not.toMatch(/role|admin/i);
      expect((await call(tok.staff).expect(403)).body.message).toMatch(/requires role admin/);
      expect((await call(tok.signer).expect(403)).body.message).toMatch(/requires role admin/);
      expect(await t.em().count(QueuePauseRow, {})).toBe(0);
    });

    it('admins: the overview, the (empty) pauses, 409 QUEUE_NOT_PAUSED for a running queue, 400 naming the field', async () => {
      const o = await overview();
      expect(o.redis).toBe(true);
      expect(o.queues.map((c) => c.queue)).toEqual(Object.values(QueueName));
      expect(card(o, QueueName.Reports).kinds.sort()).toEqual([JobKind.FinalizeReport, JobKind.ReportPdf].sort());
      expect((await t.http().get('/api/ops/pauses').set(bearer(tok.admin)).expect(200)).body).toEqual([]);
      expect((await resume(QueueName.Bulk).expect(409)).body.code).toBe('QUEUE_NOT_PAUSED');
      const bad = await pause(QueueName.Bulk, { reason: 'x', minutes: 2000 }).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.minutes', 'body.reason']);
      await t.http().post('/api/ops/queues/nope/pause').set(bearer(tok.admin)).send({ reason: 'abc' }).expect(400);
    });
  });

  it('lists this process as a worker of every queue, with its render threads', async () => {
    const o = await waitUntil(async () => {
      const o = await overview();
      return o.workers.some((w) => w.pid === process.pid) ? o : null;
    }, { what: 'the heartbeat' });
    const me = o.workers.find((w) => w.pid === process.pid)!;
    expect(me.queues.sort()).toEqual(Object.values(QueueName).sort());
    expect(me.renderThreads).toBe(t.config.pdf.renderThreads);
    expect(card(o, QueueName.Reports)).toMatchObject({ workers: o.workers.length, renderThreads: o.workers.reduce((n, w) => n + w.renderThreads, 0) });
    expect(card(o, QueueName.Mail).renderThreads).toBe(0);
  });

  it('the last hour: finished records per minute and queue, failures apart, p50/p95 of queued → done', async () => {
    const now = Date.now();
    const minuteStart = Math.floor(now / MINUTE) * MINUTE;
    const at = minuteStart - 5 * MINUTE + 10_000; // five minutes back: index 54
    const rec = (kind: JobKind, state: JobState, ms: number, finishedAt = at) => ({
      id: randomUUID(),
      kind,
      state,
      subjectType: 'report' as const,
      subjectId: randomUUID(),
      createdAt: new Date(finishedAt - ms),
      startedAt: new Date(finishedAt - ms),
      finishedAt: new Date(finishedAt),
    });
    const em = t.em();
    await em.insertMany(JobRecord, [
      rec(JobKind.FinalizeReport, JobState.Completed, 1000),
      rec(JobKind.FinalizeReport, JobState.Completed, 3000),
      rec(JobKind.ReportPdf, JobState.Failed, 2000),
      rec(JobKind.WorkOrderPdf, JobState.Completed, 400),
      // Outside the hour, or not done: not counted.
      rec(JobKind.FinalizeReport, JobState.Completed, 1000, minuteStart - 61 * MINUTE),
      rec(JobKind.BulkProtocols, JobState.Cancelled, 1000),
    ]);
    const mail = (status: 'sent' | 'failed', ms: number) => ({
      id: randomUUID(),
      kind: 'report_version' as const,
      subjectType: 'report',
      subjectId: randomUUID(),
      version: 1,
      recipient: `${randomUUID()}@x.test`,
      messageId: `<${randomUUID()}@vetlab>`,
      status,
      attempts: 1,
      createdAt: new Date(at - ms),
      nextAttemptAt: new Date(at),
      sentAt: status === 'sent' ? new Date(at) : null,
    });
    await em.insertMany(OutboxMessage, [mail('sent', 500), mail('failed', 700)]);

    const o = await overview();
    const minuteOf = (q: QueueName) => card(o, q).lastHour.find((m) => m.at === new Date(minuteStart - 5 * MINUTE).toISOString())!;
    expect(card(o, QueueName.Reports).lastHour).toHaveLength(60);
    expect(card(o, QueueName.Reports).lastHour[54]).toEqual(minuteOf(QueueName.Reports));
    expect(minuteOf(QueueName.Reports)).toMatchObject({ done: 3, failed: 1, p50Ms: 2000, p95Ms: 3000 });
    expect(minuteOf(QueueName.WorkOrderPdfs)).toMatchObject({ done: 1, failed: 0, p50Ms: 400, p95Ms: 400 });
    expect(minuteOf(QueueName.Mail)).toMatchObject({ done: 2, failed: 1, p50Ms: 500, p95Ms: 700 });
    expect(card(o, QueueName.Bulk).lastHour.every((m) => m.done === 0)).toBe(true);
  });

  it('a paused queue keeps every job: finalizes wait (paused count), then each completes once after resume', async () => {
    const socket = await sockets.connect(t, tok.admin);
    const pausesEvents = record(socket, 'ops:pauses');
    const paused = (await pause(QueueName.Reports, { reason: 'cambio de plantilla', minutes: 10 }).expect(200)).body as QueuePause;
    expect(paused).toMatchObject({ queue: QueueName.Reports, reason: 'cambio de plantilla', pausedBy: { id: f.admin.id, name: f.admin.name } });
    expect(Date.parse(paused.expiresAt) - Date.parse(paused.pausedAt)).toBe(10 * MINUTE);
    expect((await pause(QueueName.Reports).expect(409)).body.code).toBe('QUEUE_ALREADY_PAUSED');
    expect(await redis.exists(metaPaused(QueueName.Reports))).toBe(1);
    await waitUntil(() => pausesEvents.length > 0, { what: 'ops:pauses' });
    expect(pausesEvents[0].pauses.map((p) => p.queue)).toEqual([QueueName.Reports]);

    const reports = await Promise.all([1, 2, 3].map(() => readyReport(t, f, { vet: tok.vet, staff: tok.staff })));
    const jobs: string[] = [];
    for (const r of reports) jobs.push(((await t.http().post(`/api/reports/${r.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted).jobId);
    const o = await waitUntil(async () => {
      const o = await overview();
      return card(o, QueueName.Reports).counts.paused === 3 ? o : null;
    }, { what: 'three paused jobs' });
    expect(card(o, QueueName.Reports)).toMatchObject({ counts: { waiting: 0, active: 0 }, pause: { queue: QueueName.Reports, reason: 'cambio de plantilla' } });
    // The stranded-job sweep sees them alive (Bull says paused): nothing re-added or failed.
    expect((await t.em().find(JobRecord, { id: { $in: jobs } })).map((j) => j.state)).toEqual([JobState.Queued, JobState.Queued, JobState.Queued]);

    await resume(QueueName.Reports).expect(204);
    expect(await redis.exists(metaPaused(QueueName.Reports))).toBe(0);
    await waitUntil(async () => (await t.em().find(JobRecord, { id: { $in: jobs } })).every((j) => j.state === JobState.Completed), { ms: 60_000, what: 'the finalizes to complete' });
    for (const r of reports) {
      const versions = await t.em().find(ReportVersion, { report: r.reportId });
      expect(versions.map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
      await waitUntil(async () => (await t.em().count(OutboxMessage, { subjectId: r.reportId, status: 'sent' })) === 2, { what: 'mails sent' });
      const audit = await t.em().find(AuditLog, { entityId: { $in: [r.reportId, r.protocol.id] }, action: AuditAction.StatusChange });
      expect(audit.filter((a) => a.after?.status === 'finalized')).toHaveLength(1);
      expect(audit.filter((a) => a.after?.status === 'reported')).toHaveLength(1);
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const r of reports) expect(smtp.mails.filter((m) => m.subject?.includes(r.protocol.code)).flatMap(recipientsOf)).toHaveLength(2);
    expect(await t.em().count(JobRecord, { subjectId: { $in: reports.map((r) => r.reportId) } })).toBe(3);

    const trail = await t.em().find(AuditLog, { entity: 'queue' }, { orderBy: { at: 'asc' } });
    expect(trail.map((a) => [a.action, a.actorId, a.entityId])).toEqual([
      [AuditAction.QueuePause, f.admin.id, expect.any(String)],
      [AuditAction.QueueResume, f.admin.id, trail[0].entityId],
    ]);
    await waitUntil(() => pausesEvents.some((e) => e.pauses.length === 0), { what: 'ops:pauses after resume' });
  }, 120_000);

  it('a forgotten pause ends by itself: once, with one audit entry and no actor', async () => {
    await pause(QueueName.Bulk, { reason: 'se me va a olvidar', minutes: 1 }).expect(200);
    await t.app.get(QueuePausesRepository).setExpiry(t.em(), QueueName.Bulk, new Date(Date.now() - 1000));
    // Several processes notice at once: one ends it.
    const pauses = t.app.get(QueuePauses);
    expect((await Promise.all([pauses.expire(), pauses.expire(), pauses.expire()])).reduce((a, b) => a + b, 0)).toBe(1);
    // The keeper's check (its timer's body) finds nothing left to do, and Redis runs the queue.
    await keeper().check();
    await waitUntil(async () => (await t.http().get('/api/ops/pauses').set(bearer(tok.admin)).expect(200)).body.length === 0, { what: 'the pause to end' });
    expect(await redis.exists(metaPaused(QueueName.Bulk))).toBe(0);
    const row = await t.em().findOneOrFail(QueuePauseRow, { queue: QueueName.Bulk });
    expect(row).toMatchObject({ openQueue: null, endedBy: 'expired', resumedById: null });
    const resumes = await t.em().find(AuditLog, { entity: 'queue', entityId: row.id, action: AuditAction.QueueResume });
    expect(resumes.map((a) => [a.actorId, a.after])).toEqual([[null, { endedBy: 'expired' }]]);
  });

  it('ops:watch: an admin gets the overview at once and again when it changes; staff and vets get nothing', async () => {
    const admin = await sockets.connect(t, tok.admin);
    const staff = await sockets.connect(t, tok.staff);
    const vet = await sockets.connect(t, tok.vet);
    const staffSeen = record(staff, 'ops:overview');
    const vetSeen = record(vet, 'ops:overview');
    staff.emit('ops:watch');
    vet.emit('ops:watch');
    expect(await whoami(staff)).not.toContain('ops');
    expect(await whoami(vet)).not.toContain('ops');

    const first = nextEvent(admin, 'ops:overview');
    admin.emit('ops:watch');
    expect((await first).queues).toHaveLength(4);
    expect(await whoami(admin)).toContain('ops');

    const seen = record(admin, 'ops:overview');
    await pause(QueueName.Mail, { reason: 'el SMTP está caído' }).expect(200);
    const changed = await waitUntil(() => seen.find((o) => card(o, QueueName.Mail).pause?.reason === 'el SMTP está caído'), { what: 'the pause in ops:overview' });
    expect(card(changed, QueueName.Mail).pause?.pausedBy?.id).toBe(f.admin.id);
    // Nothing changes: the ticker sends nothing more (one more tick's worth of waiting is enough to see a repeat).
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(seen.length - count).toBeLessThanOrEqual(1);
    expect(staffSeen).toEqual([]);
    expect(vetSeen).toEqual([]);

    admin.emit('ops:unwatch');
    expect(await whoami(admin)).not.toContain('ops');
    await resume(QueueName.Mail).expect(204);
  });
});

describe('ops: pauses on an api-only process (no worker takes anything)', () => {
  let t: TestApp;
  let redis: Redis;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ OPS_OVERVIEW_CACHE_MS: '0', OPS_PAUSE_CHECK_MS: '3600000' }, 'api');
    const f = await seedFixtures(t.em());
    token = await tokenFor(t, f.admin);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis?.disconnect();
    await t?.close();
  });

  it('the table is the truth: a pause Redis lost is set again without losing a job, a flag the table does not know is cleared', async () => {
    const queues = t.app.get(JobQueues);
    const add = (n: number) => Promise.all(Array.from({ length: n }, () => queues.add(JobKind.WorkOrderPdf, randomUUID(), { workOrderId: randomUUID(), version: 1 })));
    const counts = async () => ((await t.http().get('/api/ops/overview').set(bearer(token)).expect(200)).body as OpsOverview).queues.find((c) => c.queue === QueueName.WorkOrderPdfs)!.counts;
    await add(2);
    expect(await counts()).toMatchObject({ waiting: 2, paused: 0 });
    await t.http().post(`/api/ops/queues/${QueueName.WorkOrderPdfs}/pause`).set(bearer(token)).send({ reason: 'Redis se reinicia' }).expect(200);
    expect(await counts()).toMatchObject({ waiting: 0, paused: 2 });
    await add(1);
    expect(await counts()).toMatchObject({ waiting: 0, paused: 3 });

    // Redis loses the flag (a restart without persistence of that key): new jobs go to wait.
    const key = (q: QueueName, part: string) => `${t.config.redis.prefix}:bull:${q}:${part}`;
    await redis.del(key(QueueName.WorkOrderPdfs, 'meta-paused'));
    await add(2);
    expect(await counts()).toMatchObject({ waiting: 2, paused: 3 });
    // And a flag nobody set in the table.
    await redis.set(key(QueueName.Mail, 'meta-paused'), '1');

    expect((await t.app.get(QueuePauses).reconcile()).sort()).toEqual([QueueName.Mail, QueueName.WorkOrderPdfs].sort());
    expect(await redis.exists(key(QueueName.WorkOrderPdfs, 'meta-paused'))).toBe(1);
    expect(await redis.exists(key(QueueName.Mail, 'meta-paused'))).toBe(0);
    // Every job is held again, none overwritten (Bull's own pause would RENAME one list over the other).
    expect(await counts()).toMatchObject({ waiting: 0, paused: 5 });
    expect(await t.app.get(QueuePauses).reconcile()).toEqual([]);

    await t.http().post(`/api/ops/queues/${QueueName.WorkOrderPdfs}/resume`).set(bearer(token)).send().expect(204);
    expect(await counts()).toMatchObject({ waiting: 5, paused: 0 });
  });

  it("many jobs' states in one look (how the sweep skips a deep paused queue) agree with Bull's own, job by job", async () => {
    const queues = t.app.get(JobQueues);
    const add = (n: number, opts?: { delay: number }) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const id = randomUUID();
          await queues.add(JobKind.WorkOrderPdf, id, { workOrderId: randomUUID(), version: 1 }, opts);
          return id;
        }),
      );
    await t.http().post(`/api/ops/queues/${QueueName.WorkOrderPdfs}/pause`).set(bearer(token)).send({ reason: 'muchos en espera' }).expect(200);
    const paused = await add(40);
    const delayed = await add(5, { delay: 600_000 });
    const missing = [randomUUID(), randomUUID()];
    const ids = [...delayed, ...paused, ...missing];
    // Above the few ids LPOS is used for, each list is read once; a handful still goes through LPOS.
    for (const some of [ids, ids.slice(0, 5), [...paused.slice(0, 2), ...missing]]) {
      const states = await queues.states(QueueName.WorkOrderPdfs, some);
      for (const id of some) expect([id, states.get(id)]).toEqual([id, (await queues.find(JobKind.WorkOrderPdf, id))?.state ?? null]);
    }
    expect(new Set([...(await queues.states(QueueName.WorkOrderPdfs, ids)).values()])).toEqual(new Set(['delayed', 'paused', null]));
    await t.http().post(`/api/ops/queues/${QueueName.WorkOrderPdfs}/resume`).set(bearer(token)).send().expect(204);
  });
});

describe('ops: overview with Redis away', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('still answers: redis false, zero counts, no workers', async () => {
    // Nothing listens on port 1: Redis is away from the start.
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1', OPS_OVERVIEW_CACHE_MS: '0' }, 'api');
    const f = await seedFixtures(t.em());
    const token = await tokenFor(t, f.admin);
    const o = (await t.http().get('/api/ops/overview').set(bearer(token)).expect(200)).body as OpsOverview;
    expect(o.redis).toBe(false);
    expect(o.workers).toEqual([]);
    expect(o.queues.every((c) => Object.values(c.counts).every((n) => n === 0) && c.lastHour.length === 60)).toBe(true);
    expect((await t.http().post('/api/ops/queues/bulk/pause').set(bearer(token)).send({ reason: 'sin Redis' }).expect(503)).body.code).toBe('QUEUE_UNAVAILABLE');
  });
});
