import { getQueueToken } from '@nestjs/bull';
import { FinalizeAccepted, JobKind, QueueName } from '@vetlab/shared';
import type { Queue } from 'bull';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Panel } from '../../src/catalogue/panel.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { WorkOrderPdf } from '../../src/work-orders/pdf/work-order-pdf.entity';
import { createBigPanel } from '../support/big-panel';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { noJobRecordLeftActive } from '../support/job-records';
import { protocolBody, submitProtocol } from '../support/protocols';
import { startRedis, TestRedis } from '../support/redis-server';
import { fillDraft } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * Redis restarts without its append-only file and comes back empty: every queued or running job
 * is gone from it. The database still expects them, so the stranded-job sweeper enqueues them
 * again, and each finishes exactly once.
 */
describe('jobs lost with a Redis that restarts empty are run again, once', () => {
  let redis: TestRedis;
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let big: Panel;
  let worker: WorkerProcess | null = null;
  const tok = { signer: '', staff: '', vetA: '', admin: '' };

  beforeAll(async () => {
    [redis, smtp] = await Promise.all([startRedis({ appendonly: false }), startSmtp()]);
    t = await createTestApp(
      { REDIS_URL: redis.url, SMTP_URL: smtp.url, JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500', JOB_STRANDED_SWEEP_MS: '500', JOB_STRANDED_GRACE_MS: '500' },
      'api',
    );
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.admin].map((u) => tokenFor(t, u)));
    big = await createBigPanel(t.em());
  }, 60_000);

  afterAll(async () => {
    await worker?.crash();
    await t?.close();
    await Promise.all([redis?.close(), smtp?.close()]);
  });

  /** A protocol with its report filled in, and its work order (whose PDF is pre-rendered by a job). */
  const ready = async (panelIds: string[]) => {
    const protocol = await submitProtocol(t, tok.vetA, protocolBody(f, { panelIds }));
    await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
    await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(200);
    await fillDraft(t, tok.staff, protocol.reportId);
    return protocol;
  };
  const finalize = async (reportId: string) =>
    ((await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted).jobId;
  const completed = (id: string) =>
    waitUntil(async () => (await t.em().findOne(JobRecord, { id }))?.state === 'completed', { ms: 60_000, what: `job ${id} completed` });
  const restartEmpty = async () => {
    await redis.stop();
    await redis.start();
  };

  /** Finalized once: one stored file, one audit entry of the version finalized, one mail per recipient. */
  const finalizedOnce = async (protocol: { reportId: string; code: string }, jobId: string) => {
    const v = await t.em().findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect(v.status).toBe('finalized');
    expect(readdirSync(join(t.config.dataDir, 'files', 'reports', protocol.reportId))).toEqual(['v1.pdf']);
    const finalized = await t.em().find(AuditLog, { jobId, entity: 'report' });
    expect(finalized.filter((e) => (e.after as { status: string }).status === 'finalized')).toHaveLength(1);
    const mails = () => smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    await waitUntil(() => mails().length >= RECIPIENTS.length, { ms: 20_000, what: `mails of ${protocol.code}` });
    await new Promise((r) => setTimeout(r, 500));
    expect(mails().flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
  };

  it('queued jobs of every kind (finalize, work-order render, bulk run) lost with Redis are enqueued again and finish once', async () => {
    // No worker yet: everything waits in Redis.
    const protocol = await ready([f.panels.cbc.id]);
    const finalizeJob = await finalize(protocol.reportId);
    const [renderJob] = await t.em().find(JobRecord, { kind: JobKind.WorkOrderPdf, subjectId: protocol.workOrderId });
    const ids = await insertProtocols(t, 30, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
    const { bulkId, jobId: bulkJob } = (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids }).expect(202)).body as {
      bulkId: string;
      jobId: string;
    };
    const queue = (name: QueueName) => t.app.get<Queue>(getQueueToken(name));
    expect(await queue(QueueName.Bulk).getJob(bulkJob)).not.toBeNull();

    await restartEmpty();
    expect(await queue(QueueName.Reports).getJob(finalizeJob)).toBeNull();
    expect(await queue(QueueName.WorkOrderPdfs).getJob(renderJob.id)).toBeNull();
    expect(await queue(QueueName.Bulk).getJob(bulkJob)).toBeNull();

    worker = startWorkerProcess(t.env);
    await worker.ready;
    await Promise.all([completed(finalizeJob), completed(renderJob.id), completed(bulkJob)]);
    await finalizedOnce(protocol, finalizeJob);
    const pdfs = await t.em().find(WorkOrderPdf, { workOrder: protocol.workOrderId });
    expect(pdfs.map((p) => [p.jobId, !!p.sha256])).toEqual([[renderJob.id, true]]);
    const run = await runOver(t, bulkId);
    expect([run.state, run.succeeded]).toEqual(['completed', 30]);
    expect(await t.em().count(AuditLog, { jobId: bulkJob })).toBe(30);
    await waitUntil(() => smtp.to('resultados@sur.test').length >= 1, { what: 'the digest of clinic B' });
    expect(await t.em().count(JobRecord, { subjectId: { $in: [protocol.reportId, protocol.workOrderId, bulkId] } })).toBe(3);
  }, 120_000);

  it('a finalize running while Redis restarts empty finishes once; jobs asked for after it run as usual', async () => {
    const protocol = await ready([f.panels.cbc.id, big.id]);
    const jobId = await finalize(protocol.reportId);
    await waitUntil(async () => (await t.em().findOne(JobRecord, { id: jobId }))?.stage === 'rendering', { every: 5, ms: 30_000, what: 'stage rendering' });
    await restartEmpty();
    await completed(jobId);
    await finalizedOnce(protocol, jobId);

    const after = await ready([f.panels.cbc.id]);
    const next = await finalize(after.reportId);
    await completed(next);
    await finalizedOnce(after, next);
    // The work orders' PDFs (rendered by jobs of their own, after the reports on a busy worker) end too.
    await noJobRecordLeftActive(t);
  }, 120_000);
});
