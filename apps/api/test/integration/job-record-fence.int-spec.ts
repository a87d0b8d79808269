import { JobKind, JobState } from '@vetlab/shared';
import type { Job } from 'bull';
import { randomUUID } from 'node:crypto';
import { JobQueues } from '../../src/jobs/job-queues.service';
import { JobRecord } from '../../src/jobs/job.entity';
import { JobsService } from '../../src/jobs/jobs.service';
import { SupersededRunError } from '../../src/jobs/superseded-run-error';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/**
 * Two attempts of one job at once, as after a takeover: the first is stale (its Bull lock expired
 * while it was frozen or cut off from the database, and another worker took the job) and still
 * running when the newer one starts. Both run through the real JobsService, on the real database
 * and a real Bull job, each held at a point the test chooses. Whatever the stale one writes after
 * the newer one started (a stage, a failure, a completion) must not land on the record: it belongs
 * to the newer attempt (its run token).
 */
describe('a job record belongs to its newest attempt', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The API role runs no job: only the test's attempts touch these jobs.
    t = await createTestApp({ JOB_STRANDED_SWEEP_MS: '0' }, 'api');
  }, 60_000);
  afterAll(() => t?.close());

  const record = (id: string) => t.em().findOneOrFail(JobRecord, { id });
  const atStage = (id: string, stage: string) => waitUntil(async () => (await record(id)).stage === stage, { what: `job ${id} at ${stage}` });

  /** A finalize job's record and its Bull job (the subject is made up: the attempts here do the work). */
  async function bullJob(): Promise<Job> {
    const em = t.em();
    const reportId = randomUUID();
    const payload = { reportId, versionId: randomUUID(), version: 1 };
    const rec = em.create(JobRecord, { kind: JobKind.FinalizeReport, subjectType: 'report', subjectId: reportId, payload });
    await em.flush();
    const queues = t.app.get(JobQueues);
    await queues.add(JobKind.FinalizeReport, rec.id, payload);
    return (await queues.find(JobKind.FinalizeReport, rec.id))!.job;
  }

  /** A point where an attempt waits until the test lets it go. */
  function hold(): { reached: Promise<void>; release: () => void } {
    let release = () => undefined as void;
    const reached = new Promise<void>((r) => (release = r));
    return { reached, release };
  }

  it('the stale attempt’s stage and failure leave the newer one’s record alone; the newer completes', async () => {
    const jobs = t.app.get(JobsService);
    const job = await bullJob();
    const id = String(job.id);
    const stale = hold();
    const newer = hold();
    const staleRun = jobs.run(job, async (ctx) => {
      await ctx.stage('rendering', 40);
      await stale.reached;
      await ctx.stage('storing', 80);
      throw new Error('Connection terminated unexpectedly');
    });
    await atStage(id, 'rendering');
    const newerRun = jobs.run(job, async (ctx) => {
      await ctx.stage('loading', 10);
      await newer.reached;
      return { reportId: job.data.reportId, version: 1, pages: 2 };
    });
    await atStage(id, 'loading');

    stale.release();
    // Its failure is not the job's: it ends superseded, which leaves the Bull job to the newer one.
    await expect(staleRun).rejects.toThrow(SupersededRunError);
    await expect(staleRun).rejects.toThrow('this one failed: Connection terminated unexpectedly');
    expect(await record(id)).toMatchObject({ state: JobState.Active, stage: 'loading', progress: 10, failedReason: null });

    newer.release();
    await expect(newerRun).resolves.toMatchObject({ pages: 2 });
    expect(await record(id)).toMatchObject({ state: JobState.Completed, progress: 100, failedReason: null, result: { pages: 2 } });
  });

  it('a stale completion records nothing and ends superseded; the newer attempt’s result stands', async () => {
    const jobs = t.app.get(JobsService);
    const job = await bullJob();
    const id = String(job.id);
    const stale = hold();
    const staleRun = jobs.run(job, async (ctx) => {
      await ctx.stage('rendering', 40);
      await stale.reached;
      return { reportId: job.data.reportId, version: 1, pages: 99 };
    });
    await atStage(id, 'rendering');
    const newerRun = jobs.run(job, async (ctx) => {
      await ctx.stage('storing', 80);
      return { reportId: job.data.reportId, version: 1, pages: 2 };
    });
    await expect(newerRun).resolves.toMatchObject({ pages: 2 });

    stale.release();
    await expect(staleRun).rejects.toBeInstanceOf(SupersededRunError);
    expect(await record(id)).toMatchObject({ state: JobState.Completed, stage: 'storing', result: { pages: 2 } });
  });
});
