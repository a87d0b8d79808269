import { getQueueToken } from '@nestjs/bull';
import { BulkAccepted, JobState } from '@vetlab/shared';
import type { Queue } from 'bull';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { BulkItem } from '../../src/bulk/bulk-item.entity';
import { BulkRun } from '../../src/bulk/bulk-run.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { appWithDatabaseOutage, DatabaseOutage } from '../support/database-outage';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { noJobRecordLeftActive } from '../support/job-records';
import { startSmtp, TestSmtp } from '../support/smtp';
import { TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, WorkerProcess } from '../support/worker-process';

const TOTAL = 600;

/**
 * Bulk runs always finish: a run whose worker loses the database for longer than the job's
 * attempts goes on from its ledger once it is back (the sweeper), and a failed run goes on from
 * `POST /api/bulk/:id/resume`. Either way every item is done once and each clinic gets one digest.
 */
describe('a bulk run outlives a database outage and resumes from its ledger', () => {
  let outage: DatabaseOutage;
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let worker: WorkerProcess | null = null;
  const tok = { admin: '', staff: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    // Small chunks: many commits, the outage lands between them. Two attempts, a second of
    // bookkeeping retries each, a sweep every half second.
    outage = await appWithDatabaseOutage({
      SMTP_URL: smtp.url,
      BULK_CHUNK_SIZE: '5',
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
    [tok.admin, tok.staff] = await Promise.all([f.admin, f.staff].map((u) => tokenFor(t, u)));
  }, 60_000);

  afterAll(async () => {
    await worker?.crash();
    await outage?.close();
    await smtp?.close();
  });

  const start = async (ids: string[]) =>
    (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids }).expect(202)).body as BulkAccepted;
  const resume = (id: string, token = tok.admin) => t.http().post(`/api/bulk/${id}/resume`).set(bearer(token)).send();

  it('POST /api/bulk/:id/resume: a failed run goes on from its ledger (admins only, audited); 404 unknown, 409 not failed', async () => {
    // No worker yet: the run is written and queued, then left as a run that failed for good is.
    const ids = await insertProtocols(t, 20, { clinics: [f.clinicA], createdBy: f.vetA });
    const { bulkId, jobId } = await start(ids);
    const em = t.em();
    await em.nativeUpdate(BulkRun, { id: bulkId }, { state: 'failed', finishedAt: new Date() });
    await em.nativeUpdate(JobRecord, { id: jobId }, { state: JobState.Failed, failedReason: 'a bug of its own', finishedAt: new Date() });

    await resume(bulkId, tok.staff).expect(403);
    const missing = await resume('00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.message).toBe('bulk run not found');
    const accepted = (await resume(bulkId).expect(202)).body as BulkAccepted;
    expect(accepted).toEqual({ jobId, kind: 'bulk_protocols', state: 'queued', bulkId, total: 20 });
    const again = await resume(bulkId).expect(409);
    expect(again.body).toMatchObject({ error: 'Conflict', code: 'BULK_RUN_NOT_RESUMABLE', message: 'this bulk run is queued: only a failed run can be resumed' });
    const audit = await t.em().find(AuditLog, { entity: 'bulk_run', entityId: bulkId });
    expect(audit.map((a) => [a.actorId, a.before, a.after])).toEqual([[f.admin.id, { state: 'failed' }, { state: 'queued' }]]);

    worker = startWorkerProcess(outage.workerEnv);
    await worker.ready;
    const run = await runOver(t, bulkId, 30_000);
    expect([run.state, run.succeeded]).toEqual(['completed', 20]);
    await resume(bulkId).expect(409);
    await smtp.waitForCount(1);
    expect(smtp.to('resultados@norte.test')).toHaveLength(1);
    smtp.mails.length = 0;
  }, 60_000);

  it('the database lost mid-run for longer than its attempts: the sweeper resumes it, every item done once, one audit entry each, one digest per clinic', async () => {
    const ids = await insertProtocols(t, TOTAL, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
    const { bulkId, jobId } = await start(ids);
    const done = () => t.em().count(BulkItem, { runId: bulkId, status: { $ne: 'pending' } });
    await waitUntil(async () => (await done()) >= 50, { every: 2, ms: 30_000, what: '50 items processed' });
    outage.cut();
    const queue = t.app.get<Queue>(getQueueToken('bulk'));
    await waitUntil(async () => (await (await queue.getJob(jobId))?.getState()) === 'failed', { every: 100, ms: 60_000, what: 'Bull to give the run up' });
    await new Promise((r) => setTimeout(r, 1500));
    outage.restore();

    // The API's pool may hand out a connection that died with the outage once: a read then just fails.
    const run = await waitUntil(async () => (await runOver(t, bulkId, 1000).catch(() => null)) ?? null, { ms: 60_000, what: 'the run over' });
    expect([run.state, run.succeeded, run.failed, run.skipped]).toEqual(['completed', TOTAL, 0, 0]);

    const em = t.em();
    expect(await em.count(AuditLog, { jobId })).toBe(TOTAL);
    const twice = await em.getConnection().execute(`select entity_id from audit_log where job_id = ? group by entity_id having count(*) > 1`, [jobId]);
    expect(twice).toEqual([]);
    expect(await em.count(Protocol, { id: { $in: ids }, status: 'received', version: 2 })).toBe(TOTAL);
    expect(await em.count(BulkItem, { runId: bulkId, attempts: 1 })).toBe(TOTAL);

    await smtp.waitForCount(2, 20_000);
    expect(smtp.to('resultados@norte.test')).toHaveLength(1);
    expect(smtp.to('resultados@sur.test')).toHaveLength(1);
    expect(await em.count(OutboxMessage, { kind: 'bulk_digest', version: run.number })).toBe(2);
    await noJobRecordLeftActive(t);
  }, 150_000);
});
