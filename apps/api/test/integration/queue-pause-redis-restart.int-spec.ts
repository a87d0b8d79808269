import { FinalizeAccepted, JobKind, JobState, QueueName } from '@vetlab/shared';
import { JobRecord } from '../../src/jobs/job.entity';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { startRedis, TestRedis } from '../support/redis-server';
import { readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

jest.setTimeout(120_000);

/**
 * An admin paused the reports queue (a template being changed), and Redis restarts without
 * persistence: its jobs and its pause flag are gone. The stranded-job sweep puts the jobs back from
 * the database, and must put the pause back first: a job re-queued to a queue Redis no longer
 * knows as paused would run at once. The pause keeper's own check is held off here (an hour), so
 * only the sweep can restore the flag in time.
 */
describe('a paused queue across a Redis restart that lost everything', () => {
  let redis: TestRedis;
  let smtp: TestSmtp;
  let t: TestApp;
  let f: Fixtures;
  const tok = { admin: '', signer: '', staff: '', vet: '' };

  beforeAll(async () => {
    redis = await startRedis({ appendonly: false });
    smtp = await startSmtp();
    t = await createTestApp({
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      JOB_BACKOFF_MS: '100',
      JOB_STRANDED_SWEEP_MS: '300',
      JOB_STRANDED_GRACE_MS: '500',
      OPS_PAUSE_CHECK_MS: '3600000',
    });
    f = await seedFixtures(t.em());
    [tok.admin, tok.signer, tok.staff, tok.vet] = await Promise.all([f.admin, f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    await redis?.close();
    await smtp?.close();
  });

  it('the sweep puts the pause back before the jobs: they wait, paused, until the admin resumes; then each completes once', async () => {
    await t.http().post(`/api/ops/queues/${QueueName.Reports}/pause`).set(bearer(tok.admin)).send({ reason: 'cambio de plantilla', minutes: 30 }).expect(200);
    const report = await readyReport(t, f, { vet: tok.vet, staff: tok.staff });
    const { jobId } = (await t.http().post(`/api/reports/${report.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    const queues = t.app.get(JobQueues);
    await waitUntil(async () => (await queues.find(JobKind.FinalizeReport, jobId))?.state === 'paused', { what: 'the job held by the pause' });

    await redis.stop();
    await redis.start();
    // Back from the database, into the paused list: not run.
    await waitUntil(
      async () => {
        const state = (await t.em().findOneOrFail(JobRecord, { id: jobId })).state;
        if (state !== JobState.Queued) throw new Error(`the job ran while its queue was paused (${state})`);
        return (await queues.find(JobKind.FinalizeReport, jobId).catch(() => null))?.state === 'paused';
      },
      { ms: 30_000, what: 'the job queued again by the sweep, held by the pause' },
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect((await t.em().findOneOrFail(JobRecord, { id: jobId })).state).toBe(JobState.Queued);
    expect((await t.em().findOneOrFail(ReportVersion, { report: report.reportId, number: 1 })).status).toBe('finalizing');

    await t.http().post(`/api/ops/queues/${QueueName.Reports}/resume`).set(bearer(tok.admin)).send().expect(204);
    await waitUntil(async () => (await t.em().findOneOrFail(JobRecord, { id: jobId })).state === JobState.Completed, { ms: 40_000, what: 'the finalize completed after resume' });
    expect((await t.em().find(ReportVersion, { report: report.reportId })).map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
    await waitUntil(async () => (await t.em().count(OutboxMessage, { subjectId: report.reportId, status: 'sent' })) === 2, { what: 'mails sent' });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.filter((m) => m.subject?.includes(report.protocol.code)).flatMap(recipientsOf)).toHaveLength(2);
    expect(await t.em().count(JobRecord, { subjectId: report.reportId })).toBe(1);
  });
});
