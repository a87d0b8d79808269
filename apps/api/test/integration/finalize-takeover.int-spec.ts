import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JobKind, ReportVersionStatus } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { JobRecord } from '../../src/jobs/job.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { finalizeBigReport, FinalizeLab, startFinalizeLab } from '../support/finalize-lab';
import { getRaw, sha256 } from '../support/pdf-http';
import { recipientsOf } from '../support/smtp';
import { waitUntil } from '../support/wait';
import { freezeWorker } from '../support/worker-process';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];

/**
 * The chaos drill's lost finalize: one worker (three finalize slots) frozen mid-render past its lock;
 * the job goes back to the queue (Bull's stall check, run here from the test, as another worker's
 * would), and when the worker thaws a free slot of the same process takes it over: a newer run with
 * a newer token, under the same Bull lock token. The stale run then stops superseded. That stop
 * must not end the newer run's Bull job (the failure would pass Bull's lock check, the job holds one
 * attempt) and the sweeper, which runs often here with no grace, must never fail the version for
 * it: the report ends finalized, with one PDF and one mail per recipient.
 */
describe('finalize taken over by the same worker: a superseded run never fails the version', () => {
  let lab: FinalizeLab;

  beforeAll(async () => {
    lab = await startFinalizeLab({
      JOB_ATTEMPTS: '1',
      JOB_BACKOFF_MS: '100',
      JOB_LOCK_MS: '2000',
      // The worker's own stall check stays out of the way: the test hands the job back itself.
      JOB_STALLED_CHECK_MS: '60000',
      JOB_STRANDED_SWEEP_MS: '300',
      JOB_STRANDED_GRACE_MS: '0',
      // A pool wait that spans the freeze must not time out the moment the worker thaws: the stale
      // run must reach its supersession check, this test's subject. (Its failure would be fenced
      // too: the record holds the newer run's token, job-record-fence.int-spec.)
      DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
    });
  }, 60_000);

  afterAll(() => lab?.close());

  const record = (id: string) => lab.t.em().findOne(JobRecord, { id });

  it('the newer run finishes: finalized, one PDF, its mails once, no finalize_failed on the way', async () => {
    const { t, smtp, tok } = lab;
    const w = await lab.fleet.startWarm();
    const { protocol, jobId } = await finalizeBigReport(lab);

    await waitUntil(async () => (await record(jobId))?.stage === 'rendering', { every: 5, ms: 20_000, what: 'stage rendering' });
    await freezeWorker(w);
    // Past its lock: the stall check hands the job back to the queue (it marks, then moves).
    const queue = t.app.get(JobQueues).of(JobKind.FinalizeReport);
    // Bull's stall check and its keys, which Bull's typings leave out.
    const stall = queue as unknown as { keys: Record<string, string>; moveUnlockedJobsToWait(): Promise<unknown> };
    await waitUntil(
      async () => {
        // The check runs at most once per stall interval (a key says when it last ran): run it now.
        await queue.client.del(stall.keys['stalled-check']);
        await stall.moveUnlockedJobsToWait();
        return (await queue.getJob(jobId))?.isWaiting() ?? false;
      },
      { every: 200, ms: 15_000, what: 'the job handed back to the queue' },
    );
    w.child.kill('SIGCONT');

    await waitUntil(() => w.output().includes(`job ${jobId} (finalize_report) attempt 1 stopped without writing`), { ms: 60_000, what: 'the stale run stopping' }).catch(
      (e: Error) => {
        throw new Error(`${e.message}\n${w.output()}`);
      },
    );
    await waitUntil(async () => (await record(jobId))?.state === 'completed', { ms: 60_000, what: `job ${jobId} completed` }).catch(async (e: Error) => {
      const r = await record(jobId);
      throw new Error(`${e.message}; its record: ${r?.state} at ${r?.stage}, ${r?.failedReason}\n${w.output()}`);
    });
    await smtp.waitForCount(RECIPIENTS.length, 20_000);
    // Time for a wrong sweep or a stray run to show.
    await new Promise((r) => setTimeout(r, 1500));

    const v = await t.em().findOneOrFail(ReportVersion, { report: protocol.reportId, number: 1 });
    expect([v.status, v.failureReason]).toEqual([ReportVersionStatus.Finalized, null]);
    expect((await record(jobId))?.state).toBe('completed');
    // The newer run ended the Bull job, not the stale one: nothing for the sweeper to replace or fail.
    expect(await (await queue.getJob(jobId))?.getState()).toBe('completed');
    expect(w.output()).not.toContain('stranded job(s)');
    expect(readdirSync(dirname(LocalFileStorage.forConfig(t.config).pathOf(v.pdfKey!)))).toEqual(['v1.pdf']);
    const pdf = await getRaw(t, `/api/reports/${protocol.reportId}/pdf`, tok.vetA);
    expect([pdf.status, sha256(pdf.body)]).toEqual([200, v.pdfSha256]);
    const mails = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    expect(mails.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    expect(mails.map((m) => m.attachments.map((a) => sha256(a.content)))).toEqual(RECIPIENTS.map(() => [v.pdfSha256]));

    // Never failed on the way: the audit trail goes finalizing → finalized once.
    const statuses = (await t.em().find(AuditLog, { entity: 'report', entityId: protocol.reportId })).map((a) => a.after?.status);
    expect(statuses).not.toContain(ReportVersionStatus.FinalizeFailed);
    expect(statuses.filter((s) => s === ReportVersionStatus.Finalized)).toHaveLength(1);
  }, 180_000);
});
