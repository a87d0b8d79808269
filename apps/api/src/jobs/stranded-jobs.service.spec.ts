import { EntityManager } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config';
import { JobQueues } from './job-queues.service';
import type { JobsService } from './jobs.service';
import type { JobSubjects } from './subjects/job-subjects.service';
import { BullJobView, decide, StrandedJobs } from './stranded-jobs.service';

const NOW = 1_000_000;
const GRACE = 10_000;
const finished = (state: 'failed' | 'completed', agoMs: number, failure = ''): BullJobView => ({ state, finishedOn: NOW - agoMs, failure });

describe('decide', () => {
  it('adds a job Redis lost', () => {
    expect(decide(null, NOW, GRACE)).toBe('add');
  });

  it.each(['waiting', 'delayed', 'active', 'paused', 'stuck'] as const)('leaves a %s job to Bull', (state) => {
    expect(decide({ state, failure: '' }, NOW, GRACE)).toBe('alive');
  });

  it('leaves a job finished within the grace period alone: its end may be being recorded', () => {
    expect(decide(finished('failed', GRACE - 1, 'Connection terminated unexpectedly'), NOW, GRACE)).toBe('alive');
    expect(decide(finished('completed', 0), NOW, GRACE)).toBe('alive');
  });

  it('replaces a job Bull completed while its record never heard', () => {
    expect(decide(finished('completed', GRACE), NOW, GRACE)).toBe('replace');
  });

  it('replaces a job Bull failed for a reason outside it', () => {
    expect(decide(finished('failed', GRACE, 'could not record the completion of job j1: database is locked'), NOW, GRACE)).toBe('replace');
    expect(decide(finished('failed', GRACE, 'job stalled more than allowable limit'), NOW, GRACE)).toBe('replace');
  });

  it('replaces a job whose last run Bull saw stopped superseded: that run never failed, and the newer one is gone', () => {
    const stop = 'a newer run of job j1 holds version 1 of report r1\nSupersededRunError: a newer run of job j1 holds version 1 of report r1';
    expect(decide(finished('failed', GRACE, stop), NOW, GRACE)).toBe('replace');
  });

  it('fails the record of a job Bull failed for its own reason', () => {
    expect(decide(finished('failed', GRACE, 'protocol P-1 is rejected: it cannot be reported'), NOW, GRACE)).toBe('fail');
  });
});

describe('StrandedJobs.start', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));

  function setup(bull: Record<string, { state: string; finishedOn?: number; failedReason?: string } | null>, stillExpected = 1) {
    const records = Object.keys(bull).map((id) => ({ id, kind: 'finalize_report', payload: { reportId: 'r', versionId: 'v', version: 1 } }));
    const fork = { find: jest.fn().mockResolvedValue(records), count: jest.fn().mockResolvedValue(stillExpected) };
    const em = { fork: () => fork } as unknown as EntityManager;
    const queue = {
      getJob: jest.fn(async (id: string) => {
        const b = bull[id];
        return b && { id, ...b, stacktrace: [], getState: async () => b.state };
      }),
    };
    const find = jest.fn(async (_kind: string, id: string) => {
      const job = await queue.getJob(id);
      return job && { job, state: job.state };
    });
    const states = jest.fn(async (_queue: string, ids: string[]) => new Map(ids.map((id) => [id, bull[id]?.state ?? null])));
    const queues = { ready: () => true, find, states, add: jest.fn(), replace: jest.fn() };
    const config = { jobs: { strandedSweepMs: 0, strandedGraceMs: 0 } } as AppConfig;
    const jobs = { failFromQueue: jest.fn().mockResolvedValue(undefined) };
    const subjects = { failureHook: jest.fn() };
    const sut = new StrandedJobs(em, queues as unknown as JobQueues, jobs as unknown as JobsService, subjects as unknown as JobSubjects, config);
    return { sut, queues, failRecord: jobs.failFromQueue, fork };
  }

  it('adds, replaces and fails as decided, and leaves running jobs alone', async () => {
    const { sut, queues, failRecord } = setup({
      lost: null,
      running: { state: 'active' },
      cut: { state: 'failed', finishedOn: 1, failedReason: 'read ECONNRESET' },
      own: { state: 'failed', finishedOn: 1, failedReason: 'disk full' },
    });
    await sut.start();
    expect(queues.add.mock.calls.map(([, id]) => id)).toEqual(['lost']);
    expect(queues.replace.mock.calls.map(([, id]) => id)).toEqual(['cut']);
    expect(failRecord.mock.calls.map(([job, reason]) => [job.id, reason])).toEqual([['own', 'disk full']]);
    // The running job's state came with the others in one look; it was never fetched on its own.
    expect(queues.states).toHaveBeenCalledTimes(1);
    expect(queues.find.mock.calls.map(([, id]) => id)).not.toContain('running');
  });

  it('does nothing with a finished job whose record ended since it was read', async () => {
    const { sut, queues, failRecord } = setup({ cut: { state: 'failed', finishedOn: 1, failedReason: 'read ECONNRESET' }, own: { state: 'failed', finishedOn: 1, failedReason: 'disk full' } }, 0);
    await sut.start();
    expect([queues.replace.mock.calls, failRecord.mock.calls]).toEqual([[], []]);
  });
});
