import { getQueueToken } from '@nestjs/bull';
import { BulkAccepted } from '@vetlab/shared';
import type { Queue } from 'bull';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { BulkItem } from '../../src/bulk/bulk-item.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';
import { WorkerFleet } from '../support/worker-process';

const TOTAL = 3000;

/**
 * The API runs here (role api: it only enqueues); the worker is a child process started from
 * source, killed for real in the middle of a run.
 */
describe('a bulk run survives a worker crash', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const fleet = new WorkerFleet(() => t.env);
  const workers = fleet.list;

  const worker = () => fleet.start();

  beforeAll(async () => {
    smtp = await startSmtp();
    // Small chunks: many commits to be killed between. A short lock: the dead worker's job is taken over soon.
    t = await createTestApp({ SMTP_URL: smtp.url, BULK_CHUNK_SIZE: '10', JOB_BACKOFF_MS: '100', JOB_LOCK_MS: '1500', JOB_STALLED_CHECK_MS: '500' }, 'api');
    f = await seedFixtures(t.em());
  }, 60_000);

  afterAll(async () => {
    await fleet.killAll();
    await t?.close();
    await smtp?.close();
  });

  it('a run committed without its queue entry (the API died in between) is queued again when a worker starts', async () => {
    const ids = await insertProtocols(t, 10, { clinics: [f.clinicA], createdBy: f.vetA });
    const admin = await tokenFor(t, f.admin);
    const { bulkId, jobId } = (await t.http().post('/api/protocols/bulk').set(bearer(admin)).send({ action: 'receive', ids }).expect(202)).body as BulkAccepted;
    const queue = t.app.get<Queue>(getQueueToken('bulk'));
    await (await queue.getJob(jobId))?.remove();
    expect(await queue.getJob(jobId)).toBeNull();

    await worker();
    const run = await runOver(t, bulkId, 30_000);
    expect([run.state, run.succeeded]).toEqual(['completed', 10]);
    await smtp.waitForCount(1);
    smtp.mails.length = 0;
  }, 60_000);

  it('a worker killed mid-run: the next one resumes from the ledger, no protocol is changed or audited twice, one digest per clinic', async () => {
    const first = workers.at(-1) ?? (await worker());
    const ids = await insertProtocols(t, TOTAL, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
    const admin = await tokenFor(t, f.admin);
    const { bulkId, jobId } = (await t.http().post('/api/protocols/bulk').set(bearer(admin)).send({ action: 'receive', ids }).expect(202)).body as BulkAccepted;

    const done = () => t.em().count(BulkItem, { runId: bulkId, status: { $ne: 'pending' } });
    await waitUntil(async () => (await done()) >= 200, { every: 2, ms: 30_000, what: '200 items processed' });
    await first.crash();
    const atCrash = await done();
    expect(atCrash).toBeLessThan(TOTAL);

    await worker();
    const run = await runOver(t, bulkId, 60_000);
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
    expect(await em.count(OutboxMessage, { kind: 'bulk_digest', version: 2 })).toBe(2);
  }, 120_000);
});
