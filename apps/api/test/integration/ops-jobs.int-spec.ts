import { randomUUID } from 'node:crypto';
import { AuditAction, BulkAccepted, JobKind, JobState, OpsJobPage, OpsJobRow, OpsStuckJob, ProtocolDetail, ProtocolStatus, ReportVersionStatus } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { BulkRun } from '../../src/bulk/bulk-run.entity';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { insertProtocols, runOver } from '../support/bulk';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const RECIPIENTS = 2;

/**
 * The operations console's jobs, through real HTTP: an API-role app here, a worker process beside
 * it (its sweep only at start, so a job missing in Redis stays missing until handed back).
 */
describe('ops jobs', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let worker: WorkerProcess;
  const tok = { admin: '', staff: '', signer: '', vetA: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_STRANDED_SWEEP_MS: '0', JOB_STRANDED_GRACE_MS: '300', WORK_ORDER_PDF_PRERENDER: 'false' }, 'api');
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.signer, tok.vetA] = await Promise.all([f.admin, f.staff, f.signer, f.vetA].map((u) => tokenFor(t, u)));
    worker = startWorkerProcess(t.env);
    await worker.ready;
  }, 90_000);

  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await smtp?.close();
  });

  const get = (path: string, token = tok.admin) => t.http().get(`/api/ops${path}`).set(bearer(token));
  const post = (path: string, token = tok.admin) => t.http().post(`/api/ops${path}`).set(bearer(token)).send();
  const list = async (query: Record<string, string | number>) => (await get('/jobs').query(query).expect(200)).body as OpsJobPage;
  const row = async (id: string) => (await get(`/jobs/${id}`).expect(200)).body as OpsJobRow;
  const record = (id: string) => t.em().findOneOrFail(JobRecord, { id });
  const settled = (id: string, state: JobState = JobState.Completed) =>
    waitUntil(async () => ((await record(id)).state === state ? record(id) : null), { ms: 40_000, what: `job ${id} ${state}` }).catch(async (e: Error) => {
      const r = await record(id);
      throw new Error(`${e.message}; it is ${r.state} (${r.failedReason}); the worker said:\n${worker.output().slice(-3000)}`);
    });
  const versionOf = (reportId: string) => t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
  const audits = (jobId: string, action: AuditAction) => t.em().find(AuditLog, { entity: 'job', entityId: jobId, action });

  /**
   * What a finalize request commits (the version claimed, its job recorded), with the Bull job
   * added by the test: `delayMs` leaves it waiting in Bull's delayed set.
   */
  const claimFinalize = async (reportId: string, opts: { enqueue?: boolean; delayMs?: number } = {}) => {
    const em = t.em();
    const version = await versionOf(reportId);
    const payload = { reportId, versionId: version.id, version: 1 };
    const job = em.create(JobRecord, { kind: JobKind.FinalizeReport, subjectType: 'report', subjectId: reportId, createdById: f.signer.id, payload });
    await em.flush();
    await em.nativeUpdate(ReportVersion, { id: version.id }, { status: ReportVersionStatus.Finalizing, finalizeJobId: job.id, signer: f.signer.id });
    if (opts.enqueue !== false) await t.app.get(JobQueues).add(JobKind.FinalizeReport, job.id, payload, opts.delayMs ? { delay: opts.delayMs } : undefined);
    return job;
  };
  const ready = async (): Promise<ProtocolDetail> => (await readyReport(t, f, { vet: tok.vetA, staff: tok.staff })).protocol;

  /** A finalize that really fails for good: its protocol cannot become reported when the job runs (PermanentJobError). */
  const failedFinalize = async () => {
    const protocol = await ready();
    await t.em().nativeUpdate(Protocol, { id: protocol.id }, { status: ProtocolStatus.Received });
    const job = await claimFinalize(protocol.reportId);
    await settled(job.id, JobState.Failed);
    await t.em().nativeUpdate(Protocol, { id: protocol.id }, { status: ProtocolStatus.InAnalysis });
    return { protocol, job };
  };

  describe('who may use it', () => {
    it('admins only: staff get 403, vets 404, anonymous 401, on every route', async () => {
      const routes: [string, 'get' | 'post'][] = [
        ['/jobs', 'get'],
        ['/stuck', 'get'],
        [`/jobs/${UNKNOWN}`, 'get'],
        [`/jobs/${UNKNOWN}/retry`, 'post'],
        [`/jobs/${UNKNOWN}/discard`, 'post'],
        [`/jobs/${UNKNOWN}/promote`, 'post'],
        [`/jobs/${UNKNOWN}/hand-back`, 'post'],
        ['/queues/reports/retry-failed', 'post'],
      ];
      for (const [path, method] of routes) {
        const call = (token: string) => (method === 'get' ? get(path, token) : post(path, token));
        await call(tok.staff).expect(403);
        await call(tok.vetA).expect(404);
        await t.http()[method](`/api/ops${path}`).expect(401);
      }
      for (const action of ['', '/retry', '/discard', '/promote', '/hand-back']) {
        const res = action ? await post(`/jobs/${UNKNOWN}${action}`).expect(404) : await get(`/jobs/${UNKNOWN}`).expect(404);
        expect(res.body.message).toBe('job not found');
      }
      const bad = await get('/jobs').query({ state: 'nope' }).expect(400);
      expect(bad.body.details[0].field).toBe('query.state');
    });
  });

  describe('the list', () => {
    let p1: ProtocolDetail;
    let bulkId: string;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      p1 = await ready();
      const em = t.em();
      const at = (iso: string) => new Date(iso);
      const add = (key: string, r: Partial<JobRecord> & Pick<JobRecord, 'kind' | 'subjectType' | 'subjectId'>) => {
        const job = em.create(JobRecord, { createdById: f.signer.id, ...r });
        ids[key] = job.id;
      };
      const versionId = (await versionOf(p1.reportId)).id;
      bulkId = randomUUID();
      await em.insert(BulkRun, { id: bulkId, number: 17, action: 'receive', target: ProtocolStatus.Received, total: 1, jobId: UNKNOWN, createdById: f.admin.id, createdAt: new Date(), state: 'completed' });
      add('finalize', { kind: JobKind.FinalizeReport, subjectType: 'report', subjectId: p1.reportId, state: JobState.Completed, payload: { reportId: p1.reportId, versionId, version: 2 }, createdAt: at('2020-01-02T10:00:00Z'), startedAt: at('2020-01-02T10:00:01Z'), finishedAt: at('2020-01-02T10:00:03Z'), stages: [{ stage: 'loading', at: '2020-01-02T10:00:01.000Z' }, { stage: 'rendering', at: '2020-01-02T10:00:01.500Z' }] });
      add('pdf', { kind: JobKind.ReportPdf, subjectType: 'report', subjectId: p1.reportId, state: JobState.Failed, failedReason: 'disk full', payload: { reportId: p1.reportId, versionId, version: 2 }, createdAt: at('2020-01-03T10:00:00Z') });
      add('order', { kind: JobKind.WorkOrderPdf, subjectType: 'work_order', subjectId: p1.workOrderId, state: JobState.Completed, createdById: null, payload: { workOrderId: p1.workOrderId, version: 1 }, createdAt: at('2020-01-04T10:00:00Z') });
      add('bulk', { kind: JobKind.BulkProtocols, subjectType: 'bulk', subjectId: bulkId, state: JobState.Completed, createdById: f.admin.id, payload: { bulkId }, createdAt: at('2020-01-05T10:00:00Z') });
      await em.flush();
    });

    /** Only this block's records: they are dated in 2020. */
    const old = (query: Record<string, string | number> = {}) => list({ from: '2020-01-01', to: '2020-12-31', ...query });

    it('names each subject in the lab’s words with a link, newest first, with stages and their lengths', async () => {
      const page = await old();
      expect(page.total).toBe(4);
      expect(page.items.map((r) => r.id)).toEqual([ids.bulk, ids.order, ids.pdf, ids.finalize]);
      const [bulk, order, pdf, finalize] = page.items;
      expect(finalize).toMatchObject({ label: `Informe de ${p1.code} v2`, link: `/protocols/${p1.id}`, queue: 'reports', createdBy: { id: f.signer.id, name: f.signer.name }, state: 'completed', actions: [] });
      expect(finalize.stages).toEqual([
        { stage: 'loading', at: '2020-01-02T10:00:01.000Z', ms: 500 },
        { stage: 'rendering', at: '2020-01-02T10:00:01.500Z', ms: 1500 },
      ]);
      expect(pdf).toMatchObject({ label: `PDF del informe ${p1.code} v2`, failedReason: 'disk full', bullState: null, actions: ['retry', 'discard'] });
      expect(order).toMatchObject({ label: `Orden de trabajo ${p1.code}`, link: `/protocols/${p1.id}`, createdBy: null, queue: 'work-order-pdfs' });
      expect(bulk).toMatchObject({ label: `Lote #17 de ${f.admin.name}`, link: `/bulk/${bulkId}`, queue: 'bulk' });
      expect(await row(ids.pdf)).toEqual(pdf);
    });

    it('filters by queue, state, kind, subject, who started it and time; pages with totals', async () => {
      const idsOf = (p: OpsJobPage) => p.items.map((r) => r.id);
      expect(idsOf(await old({ queue: 'reports' }))).toEqual([ids.pdf, ids.finalize]);
      expect(idsOf(await old({ queue: 'mail' }))).toEqual([]);
      expect(idsOf(await old({ state: 'failed' }))).toEqual([ids.pdf]);
      expect(idsOf(await old({ kind: 'work_order_pdf' }))).toEqual([ids.order]);
      expect(idsOf(await old({ queue: 'bulk', kind: 'finalize_report' }))).toEqual([]);
      expect(idsOf(await old({ subject: p1.code }))).toEqual([ids.order, ids.pdf, ids.finalize]);
      expect(idsOf(await old({ subject: p1.code.slice(0, -1).toLowerCase() }))).toEqual([ids.order, ids.pdf, ids.finalize]);
      expect(idsOf(await old({ subject: bulkId }))).toEqual([ids.bulk]);
      expect(idsOf(await old({ subject: '#17' }))).toEqual([ids.bulk]);
      expect(idsOf(await old({ subject: 'Z-0000' }))).toEqual([]);
      expect(idsOf(await old({ createdBy: f.admin.id }))).toEqual([ids.bulk]);
      expect(idsOf(await list({ from: '2020-01-03', to: '2020-01-04' }))).toEqual([ids.order, ids.pdf]);
      expect(idsOf(await list({ from: '2020-01-03T12:00:00Z', to: '2020-01-05T09:00:00Z' }))).toEqual([ids.order]);
      const second = await old({ page: 2, pageSize: 3 });
      expect([second.total, second.page, second.pageSize, idsOf(second)]).toEqual([4, 2, 3, [ids.finalize]]);
    });
  });

  describe('actions', () => {
    it('retry: a finalize that failed for good runs again under the same id and ends finalized, one PDF and one mail per recipient', async () => {
      const { protocol, job } = await failedFinalize();
      const failedVersion = await versionOf(protocol.reportId);
      expect(failedVersion.status).toBe(ReportVersionStatus.FinalizeFailed);
      expect((await row(job.id)).actions).toEqual(['retry', 'discard']);

      await post(`/jobs/${job.id}/retry`, tok.staff).expect(403);
      await post(`/jobs/${job.id}/retry`, tok.vetA).expect(404);
      const retried = (await post(`/jobs/${job.id}/retry`).expect(200)).body as OpsJobRow;
      expect(retried).toMatchObject({ id: job.id });
      // A second click finds it queued or running: no second job.
      const again = await post(`/jobs/${job.id}/retry`).expect(409);
      expect(again.body.code).toBe('JOB_NOT_RETRYABLE');

      await settled(job.id);
      const v = await versionOf(protocol.reportId);
      expect(v.status).toBe(ReportVersionStatus.Finalized);
      expect(v.pdfKey).toBeTruthy();
      expect(await t.em().count(JobRecord, { subjectId: protocol.reportId })).toBe(1);
      await waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: protocol.reportId })).filter((m) => m.status === 'sent').length === RECIPIENTS, { what: 'the mails sent' });
      expect(await t.em().count(OutboxMessage, { subjectId: protocol.reportId })).toBe(RECIPIENTS);
      expect(await audits(job.id, AuditAction.JobRetry)).toHaveLength(1);
      const done = await post(`/jobs/${job.id}/retry`).expect(409);
      expect(done.body.code).toBe('JOB_NOT_RETRYABLE');
    }, 90_000);

    it('retry refuses a failed finalize whose subject moved on (its version belongs to another job now)', async () => {
      const { protocol, job } = await failedFinalize();
      // The signer finalized again meanwhile: the version belongs to another job now.
      await t.em().nativeUpdate(ReportVersion, { report: protocol.reportId }, { finalizeJobId: UNKNOWN });
      const res = await post(`/jobs/${job.id}/retry`).expect(409);
      expect(res.body.code).toBe('JOB_NOT_RETRYABLE');
      expect((await record(job.id)).state).toBe(JobState.Failed);
    }, 60_000);

    it('retry of a failed bulk run goes through its resume: the run and its job are queued again and finish', async () => {
      const ids = await insertProtocols(t, 3, { clinics: [f.clinicA], createdBy: f.vetA });
      const { bulkId, jobId } = (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids }).expect(202)).body as BulkAccepted;
      await runOver(t, bulkId);
      await settled(jobId);
      // Left as a run that failed for good is.
      await t.em().nativeUpdate(BulkRun, { id: bulkId }, { state: 'failed' });
      await t.em().nativeUpdate(JobRecord, { id: jobId }, { state: JobState.Failed, failedReason: 'a bug of its own' });
      expect((await row(jobId)).actions).toEqual(['retry', 'discard']);
      await post(`/jobs/${jobId}/retry`).expect(200);
      expect((await post(`/jobs/${jobId}/retry`).expect(409)).body.code).toBe('JOB_NOT_RETRYABLE');
      await settled(jobId);
      expect((await runOver(t, bulkId)).state).toBe('completed');
      expect(await audits(jobId, AuditAction.JobRetry)).toHaveLength(1);
      expect(await t.em().count(AuditLog, { entity: 'bulk_run', entityId: bulkId, action: AuditAction.StatusChange })).toBe(1);
    }, 60_000);

    it('retry-failed: every failed job of a queue that can run again; the others are skipped', async () => {
      const a = await failedFinalize();
      const b = await failedFinalize();
      await t.em().nativeUpdate(ReportVersion, { report: b.protocol.reportId }, { finalizeJobId: UNKNOWN });
      await post('/queues/reports/retry-failed', tok.staff).expect(403);
      await post('/queues/reports/retry-failed', tok.vetA).expect(404);
      const res = await post('/queues/reports/retry-failed').expect(200);
      // a's finalize only: b's moved on, like the earlier refused one, and the listed report_pdf's version is a draft.
      expect(res.body.count).toBe(1);
      await settled(a.job.id);
      expect((await record(b.job.id)).state).toBe(JobState.Failed);
      expect((await post('/queues/mail/retry-failed').expect(200)).body).toEqual({ count: 0 });
    }, 90_000);

    it('discard: a retrying job is given up for good, its Bull job removed, its version finalize_failed; a second click is a 409', async () => {
      const protocol = await ready();
      const job = await claimFinalize(protocol.reportId, { delayMs: 600_000 });
      await t.em().nativeUpdate(JobRecord, { id: job.id }, { state: JobState.Retrying, failedReason: 'read ECONNRESET' });
      await post(`/jobs/${job.id}/discard`, tok.staff).expect(403);
      await post(`/jobs/${job.id}/discard`, tok.vetA).expect(404);
      const discarded = (await post(`/jobs/${job.id}/discard`).expect(200)).body as OpsJobRow;
      expect(discarded).toMatchObject({ state: 'cancelled', bullState: null, failedReason: 'read ECONNRESET', actions: [] });
      expect((await versionOf(protocol.reportId)).status).toBe(ReportVersionStatus.FinalizeFailed);
      expect(await t.app.get(JobQueues).find(JobKind.FinalizeReport, job.id)).toBeNull();
      expect((await post(`/jobs/${job.id}/discard`).expect(409)).body.code).toBe('JOB_NOT_DISCARDABLE');
      expect((await post(`/jobs/${job.id}/retry`).expect(409)).body.code).toBe('JOB_NOT_RETRYABLE');
      expect(await audits(job.id, AuditAction.JobDiscard)).toHaveLength(1);
    }, 60_000);

    it('promote: a delayed job runs now; a job not delayed is a 409', async () => {
      const protocol = await ready();
      const job = await claimFinalize(protocol.reportId, { delayMs: 600_000 });
      expect(await row(job.id)).toMatchObject({ bullState: 'delayed', actions: ['promote'] });
      await post(`/jobs/${job.id}/promote`, tok.staff).expect(403);
      await post(`/jobs/${job.id}/promote`, tok.vetA).expect(404);
      await post(`/jobs/${job.id}/promote`).expect(200);
      await settled(job.id);
      expect((await versionOf(protocol.reportId)).status).toBe(ReportVersionStatus.Finalized);
      expect((await post(`/jobs/${job.id}/promote`).expect(409)).body.code).toBe('JOB_NOT_DELAYED');
      expect(await audits(job.id, AuditAction.JobPromote)).toHaveLength(1);
    }, 60_000);

    it('hand-back: a job whose Bull job was deleted from Redis shows as missing_in_redis, is handed back and completes once', async () => {
      const protocol = await ready();
      const job = await claimFinalize(protocol.reportId, { delayMs: 600_000 });
      await post(`/jobs/${job.id}/hand-back`).expect(409);
      const queues = t.app.get(JobQueues);
      await (await queues.find(JobKind.FinalizeReport, job.id))!.job.remove();

      const stuck = await waitUntil(async () => ((await get('/stuck').expect(200)).body as OpsStuckJob[]).find((s) => s.job.id === job.id), { what: 'the job listed as stuck' });
      expect(stuck).toMatchObject({ reason: 'missing_in_redis', limitMs: null, job: { bullState: null, actions: ['hand_back'], label: `Informe de ${protocol.code} v1` } });
      await post(`/jobs/${job.id}/hand-back`, tok.staff).expect(403);
      await post(`/jobs/${job.id}/hand-back`, tok.vetA).expect(404);
      await post(`/jobs/${job.id}/hand-back`).expect(200);
      // A second click finds it in Bull (or done): not stuck, no second job.
      expect((await post(`/jobs/${job.id}/hand-back`).expect(409)).body.code).toBe('JOB_NOT_STUCK');

      await settled(job.id);
      expect((await versionOf(protocol.reportId)).status).toBe(ReportVersionStatus.Finalized);
      await waitUntil(async () => (await t.em().find(OutboxMessage, { subjectId: protocol.reportId })).filter((m) => m.status === 'sent').length === RECIPIENTS, { what: 'the mails sent' });
      expect(await t.em().count(OutboxMessage, { subjectId: protocol.reportId })).toBe(RECIPIENTS);
      expect(await audits(job.id, AuditAction.JobHandBack)).toHaveLength(1);
      expect(((await get('/stuck').expect(200)).body as OpsStuckJob[]).map((s) => s.job.id)).not.toContain(job.id);
    }, 60_000);
  });
});
