import { getQueueToken } from '@nestjs/bull';
import { FinalizeAccepted } from '@vetlab/shared';
import type { Queue } from 'bull';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Panel } from '../../src/catalogue/panel.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { createBigPanel } from '../support/big-panel';
import { bearer, tokenFor } from '../support/auth';
import { appWithDatabaseOutage, DatabaseOutage } from '../support/database-outage';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { noJobRecordLeftActive } from '../support/job-records';
import { getRaw, sha256 } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { fillDraft } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * The database goes away in the middle of a finalize for longer than the job's attempts and their
 * bookkeeping retries last, so Bull gives the job up; once it is back, the stranded-job sweeper
 * runs the job again and the version is finalized exactly once.
 */
describe('a finalize outlives a database outage longer than its retries', () => {
  let outage: DatabaseOutage;
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let worker: WorkerProcess;
  let big: Panel;

  beforeAll(async () => {
    smtp = await startSmtp();
    // Two attempts, each giving up on its bookkeeping after a second; a sweep every half second
    // that acts on a job Bull finished half a second ago.
    outage = await appWithDatabaseOutage({
      SMTP_URL: smtp.url,
      JOB_ATTEMPTS: '2',
      JOB_BACKOFF_MS: '100',
      JOB_LOCK_MS: '1500',
      JOB_STALLED_CHECK_MS: '500',
      JOB_STRANDED_SWEEP_MS: '500',
      JOB_STRANDED_GRACE_MS: '500',
      JOB_BOOKKEEPING_RETRY_MS: '1000',
    });
    t = outage.t;
    f = await seedFixtures(t.em());
    // Enough rows for a render of many pages: the outage starts while it runs.
    big = await createBigPanel(t.em());
    worker = startWorkerProcess(outage.workerEnv);
    await worker.ready;
  }, 90_000);

  afterAll(async () => {
    await worker?.crash();
    await outage?.close();
    await smtp?.close();
  });

  it('Bull gives the job up while the database is away; the sweeper runs it again: one PDF, one mail per recipient, the record completed', async () => {
    const [signer, staff, vetA] = await Promise.all([f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
    const protocol = await submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, big.id] }));
    await t.http().post(`/api/protocols/${protocol.id}/receive`).set(bearer(staff)).send({}).expect(200);
    await t.http().post(`/api/protocols/${protocol.id}/start-analysis`).set(bearer(staff)).send({}).expect(200);
    await fillDraft(t, staff, protocol.reportId);
    const { jobId } = (await t.http().post(`/api/reports/${protocol.reportId}/finalize`).set(bearer(signer)).send().expect(202)).body as FinalizeAccepted;

    const record = () => t.em().findOne(JobRecord, { id: jobId });
    await waitUntil(async () => (await record())?.stage === 'rendering', { every: 5, ms: 30_000, what: 'stage rendering' });
    outage.cut();
    // Bull (in Redis, still up) is the witness while the database is away.
    const queue = t.app.get<Queue>(getQueueToken('reports'));
    await waitUntil(async () => (await (await queue.getJob(jobId))?.getState()) === 'failed', { every: 100, ms: 60_000, what: 'Bull to give the job up' });
    // Longer than a sweep and its grace: nothing can be healed while the database is away.
    await new Promise((r) => setTimeout(r, 1500));
    outage.restore();

    // The API's pool may hand out a connection that died with the outage once: a read then just fails.
    const state = async () => (await record().catch(() => null))?.state;
    await waitUntil(async () => (await state()) === 'completed', { every: 100, ms: 60_000, what: `job ${jobId} completed` });

    const em = t.em();
    const v = await em.findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect([v.status, v.pdfKey]).toEqual(['finalized', `reports/${protocol.reportId}/v1.pdf`]);
    expect(readdirSync(join(t.config.dataDir, 'files', 'reports', protocol.reportId))).toEqual(['v1.pdf']);
    const pdf = await getRaw(t, `/api/reports/${protocol.reportId}/pdf`, vetA);
    expect([pdf.status, sha256(pdf.body)]).toEqual([200, v.pdfSha256]);
    // Finalized once: besides the request's entry, the protocol reported and the version finalized once each.
    const entries = await em.find(AuditLog, { jobId }, { orderBy: { entity: 'asc', at: 'asc' } });
    expect(entries.map((e) => [e.entity, (e.after as { status: string }).status])).toEqual([
      ['protocol', 'reported'],
      ['report', 'finalizing'],
      ['report', 'finalized'],
    ]);

    await waitUntil(async () => (await t.em().count(OutboxMessage, { subjectId: protocol.reportId, status: 'sent' })) === RECIPIENTS.length, {
      ms: 20_000,
      what: 'mails sent',
    });
    await new Promise((r) => setTimeout(r, 500));
    const mails = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    expect(mails.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    await noJobRecordLeftActive(t);
  }, 150_000);
});
