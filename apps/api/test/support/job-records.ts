import { ACTIVE_JOB_STATES } from '@vetlab/shared';
import { JobRecord } from '../../src/jobs/job.entity';
import { TestApp } from './test-app';
import { waitUntil } from './wait';

/**
 * Waits until no job record is left active, or fails naming the ones left. A job's record is
 * completed after its work shows (a mail's after the SMTP server has the message, when Bull reports
 * the job done), so a test reads it eventually, not at once: on a busy machine that can take a while.
 */
export async function noJobRecordLeftActive(t: TestApp, ms = 30_000): Promise<void> {
  const left = () => t.em().find(JobRecord, { state: { $in: [...ACTIVE_JOB_STATES] } });
  await waitUntil(async () => (await left()).length === 0, { ms, what: 'no job record left active' }).catch(async (e: Error) => {
    throw new Error(`${e.message}: ${(await left()).map((r) => `${r.kind} ${r.state} at ${r.stage}`).join(', ')}`);
  });
}
