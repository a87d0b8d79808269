import { EntityManager } from '@mikro-orm/core';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import type { AppConfig } from '../config/app-config';
import { RealtimeService } from '../realtime/realtime.service';
import { JobKind, JobState } from '@vetlab/shared';
import { JobRecord } from './job.entity';
import { JobRecordsRepository, RunRecord } from './job-records.repository';
import { JobsService, STAGE_WRITE_MS } from './jobs.service';
import { PermanentJobError } from './permanent-job-error';
import { SupersededRunError } from './superseded-run-error';

function setup(opts: { attemptsMade?: number; attempts?: number; record?: boolean } = {}) {
  const record: RunRecord = { id: 'j1', kind: JobKind.FinalizeReport, state: JobState.Queued, subjectType: 'report', subjectId: 'r1', stage: null, progress: 0, attempts: 0, failedReason: null, createdById: 'u1', stages: null };
  const tx = { nativeUpdate: jest.fn().mockResolvedValue(1) };
  const fork = { transactional: jest.fn(async (cb: (em: unknown) => unknown) => cb(tx)) };
  const em = { fork: () => fork } as unknown as EntityManager;
  // The record's writes, each resolving as the statement would; `writes` counts them in order.
  const records = {
    forRun: jest.fn().mockResolvedValue(opts.record === false ? null : record),
    start: jest.fn().mockResolvedValue(undefined),
    writeStage: jest.fn().mockResolvedValue(true),
    complete: jest.fn().mockResolvedValue(true),
    retrying: jest.fn().mockResolvedValue(true),
  };
  const writes = () => records.start.mock.calls.length + records.writeStage.mock.calls.length + records.complete.mock.calls.length + records.retrying.mock.calls.length;
  const realtime = { emit: jest.fn() };
  const job = {
    id: 'j1',
    attemptsMade: opts.attemptsMade ?? 0,
    opts: { attempts: opts.attempts ?? 3 },
    discard: jest.fn(),
    progress: jest.fn().mockResolvedValue(undefined),
  } as unknown as Job;
  const sut = new JobsService(em, realtime as unknown as RealtimeService, { jobs: { bookkeepingRetryMs: 0 } } as AppConfig, records as unknown as JobRecordsRepository);
  const events = () => realtime.emit.mock.calls.map(([, event, payload]) => [event, payload.state, payload.stage]);
  return { sut, record, records, writes, tx, job, realtime, events };
}

describe('JobsService.run', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  it('keeps this attempt’s stages with their start times: a new attempt starts a new list, a stage reported again keeps its start', async () => {
    const { sut, record, job } = setup({ attemptsMade: 1 });
    record.stages = [{ stage: 'rendering', at: '2020-01-01T00:00:00.000Z' }];
    await sut.run(job, async (ctx) => {
      await ctx.stage('rendering', 20);
      await ctx.stage('rendering', 40);
      await ctx.stage('storing', 60);
      return { ok: true };
    });
    expect(record.stages?.map((s) => s.stage)).toEqual(['rendering', 'storing']);
    expect(Date.parse(record.stages![0].at)).toBeGreaterThan(Date.parse('2020-01-01T00:00:00.000Z'));
    expect(Date.parse(record.stages![1].at)).toBeGreaterThanOrEqual(Date.parse(record.stages![0].at));
  });

  it('marks the record active, reports stages, completes with the result', async () => {
    const { sut, record, records, job, events, realtime } = setup({ attemptsMade: 1 });
    const result = await sut.run(job, async (ctx) => {
      expect([ctx.jobId, ctx.attempt, ctx.createdById]).toEqual(['j1', 2, 'u1']);
      await ctx.stage('rendering', 20);
      return { ok: true };
    });
    expect(result).toEqual({ ok: true });
    expect(record).toMatchObject({ state: 'completed', progress: 100, stage: 'rendering', attempts: 2 });
    expect(records.start).toHaveBeenCalledWith(expect.anything(), 'j1', 2, expect.any(String));
    const token = records.start.mock.calls[0][3];
    expect(records.complete).toHaveBeenCalledWith(expect.anything(), 'j1', token, expect.objectContaining({ stage: 'rendering', result: { ok: true } }));
    expect(job.progress).toHaveBeenCalledWith(20);
    expect(events()).toEqual([
      ['job:progress', 'active', null],
      ['job:progress', 'active', 'rendering'],
      ['job:completed', 'completed', 'rendering'],
    ]);
    expect(realtime.emit.mock.calls[0][0]).toEqual(['role:staff', 'role:admin', 'user:u1']);
  });

  it('work-order PDF jobs are told to the person waiting only; a pre-render (no one) to nobody', async () => {
    const { sut, record, job, realtime } = setup();
    record.kind = 'work_order_pdf';
    await sut.run(job, async () => ({}));
    expect(realtime.emit.mock.calls.map(([to]) => to)).toEqual([['user:u1'], ['user:u1']]);
    realtime.emit.mockClear();
    Object.assign(record, { createdById: null });
    await sut.run(job, async () => ({}));
    expect(realtime.emit.mock.calls.every(([to]) => to.length === 0)).toBe(true);
  });

  it('an ordinary error with attempts left leaves the record retrying and rethrows', async () => {
    const { sut, record, job, tx, events } = setup({ attemptsMade: 0, attempts: 3 });
    const hook = jest.fn();
    await expect(sut.run(job, async () => Promise.reject(new Error('pool busy')), hook)).rejects.toThrow('pool busy');
    expect(record).toMatchObject({ state: 'retrying', failedReason: 'pool busy' });
    expect(job.discard).not.toHaveBeenCalled();
    expect(hook).not.toHaveBeenCalled();
    expect(tx.nativeUpdate).not.toHaveBeenCalled();
    expect(events().at(-1)).toEqual(['job:progress', 'retrying', null]);
  });

  it('the last attempt fails it for good: the hook and the record in one transaction, then job:failed', async () => {
    const { sut, record, job, tx, events } = setup({ attemptsMade: 2, attempts: 3 });
    const hook = jest.fn().mockResolvedValue(undefined);
    await expect(sut.run(job, async () => Promise.reject(new Error('disk full')), hook)).rejects.toThrow('disk full');
    expect(hook).toHaveBeenCalledWith(tx, 'disk full');
    expect(tx.nativeUpdate).toHaveBeenCalledWith(JobRecord, { id: 'j1', runToken: expect.any(String) }, expect.objectContaining({ state: 'failed', failedReason: 'disk full' }));
    expect(record.state).toBe('failed');
    expect(job.discard).not.toHaveBeenCalled();
    expect(events().at(-1)).toEqual(['job:failed', 'failed', null]);
  });

  describe('a stale attempt (a newer one took the record over: its run token differs)', () => {
    it('writes a stage that does not apply, then announces nothing more and leaves Bull’s progress alone', async () => {
      const { sut, job, records, events } = setup();
      records.writeStage.mockResolvedValue(false);
      records.complete.mockResolvedValue(false);
      await expect(sut.run(job, async (ctx) => (await ctx.stage('rendering', 20), await ctx.stage('storing', 60), { ok: true }))).rejects.toBeInstanceOf(SupersededRunError);
      expect(events()).toEqual([['job:progress', 'active', null]]);
      expect(job.progress).not.toHaveBeenCalled();
    });

    it('a completion that does not apply ends in SupersededRunError, without job:completed', async () => {
      const { sut, job, records, events, record } = setup();
      records.complete.mockResolvedValue(false);
      await expect(sut.run(job, async () => ({ ok: true }))).rejects.toBeInstanceOf(SupersededRunError);
      expect(events().map(([event]) => event)).not.toContain('job:completed');
      expect(record.state).not.toBe('completed');
    });

    it('a failure that does not apply announces nothing and ends superseded (not the job’s failure)', async () => {
      const { sut, job, records, events } = setup();
      records.retrying.mockResolvedValue(false);
      await expect(sut.run(job, async () => Promise.reject(new Error('pool busy')))).rejects.toBeInstanceOf(SupersededRunError);
      expect(records.retrying).toHaveBeenCalled();
      expect(events()).toEqual([['job:progress', 'active', null]]);
    });

    it('a last or permanent failure that does not apply leaves the subject and the Bull job alone', async () => {
      const { sut, job, tx, events } = setup({ attemptsMade: 2, attempts: 3 });
      tx.nativeUpdate.mockResolvedValue(0);
      const hook = jest.fn();
      await expect(sut.run(job, async () => Promise.reject(new PermanentJobError('protocol annulled')), hook)).rejects.toBeInstanceOf(SupersededRunError);
      expect(hook).not.toHaveBeenCalled();
      expect(job.discard).not.toHaveBeenCalled();
      expect(events()).toEqual([['job:progress', 'active', null]]);
    });
  });

  it('the last attempt failing for a reason outside the job (the database away) leaves it retrying for the sweeper', async () => {
    const { sut, record, job, tx, events } = setup({ attemptsMade: 2, attempts: 3 });
    const hook = jest.fn();
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    await expect(sut.run(job, async () => Promise.reject(lost), hook)).rejects.toBe(lost);
    expect(record).toMatchObject({ state: 'retrying', failedReason: 'read ECONNRESET' });
    expect([hook.mock.calls, tx.nativeUpdate.mock.calls]).toEqual([[], []]);
    expect(events().at(-1)).toEqual(['job:progress', 'retrying', null]);
  });

  it('a stage that cannot be written is only progress: the job goes on and completes', async () => {
    const { sut, record, job, records } = setup();
    records.writeStage.mockRejectedValueOnce(new Error('stage column missing'));
    await expect(sut.run(job, async (ctx) => (await ctx.stage('rendering', 20), { ok: true }))).resolves.toEqual({ ok: true });
    expect(record.state).toBe('completed');
  });

  it('stageSoon: the stages marked close together share one write and one event (the latest stage); the completion carries the rest', async () => {
    const { sut, record, job, records, writes, events } = setup();
    await sut.run(job, async (ctx) => {
      ctx.stageSoon!('loading', 5);
      ctx.stageSoon!('rendering', 20);
      await new Promise((r) => setTimeout(r, STAGE_WRITE_MS + 50));
      ctx.stageSoon!('storing', 60);
      ctx.stageSoon!('queuing_email', 90);
      return { ok: true };
    });
    // start, one write for loading + rendering, completion (storing and queuing_email with it)
    expect(writes()).toBe(3);
    expect(records.writeStage.mock.calls.map(([, , , s]) => s.stages.map((m: { stage: string }) => m.stage))).toEqual([['loading', 'rendering']]);
    expect(records.complete.mock.calls[0][3].stages.map((m: { stage: string }) => m.stage)).toEqual(['loading', 'rendering', 'storing', 'queuing_email']);
    expect((job.progress as jest.Mock).mock.calls).toEqual([[20]]);
    expect(record.stages?.map((s) => s.stage)).toEqual(['loading', 'rendering', 'storing', 'queuing_email']);
    expect(events().map(([e, , stage]) => `${e}:${stage}`)).toEqual(['job:progress:null', 'job:progress:rendering', 'job:completed:queuing_email']);
  });

  it('stageSoon now: the write and the event start at once, with the stage marked before it', async () => {
    const { sut, job, writes, events } = setup();
    await sut.run(job, async (ctx) => {
      ctx.stageSoon!('loading', 5);
      ctx.stageSoon!('rendering', 20, { now: true });
      await new Promise((r) => setTimeout(r, 10));
      expect(writes()).toBe(2);
      expect(events().map(([e, , stage]) => `${e}:${stage}`)).toEqual(['job:progress:null', 'job:progress:rendering']);
      return { ok: true };
    });
    await new Promise((r) => setTimeout(r, STAGE_WRITE_MS + 50));
    expect(writes()).toBe(3);
  });

  it('stageSoon then a failure: the stage waiting for its write is written before the failure; a superseded run writes it not at all', async () => {
    const failing = setup({ attemptsMade: 0, attempts: 3 });
    await expect(failing.sut.run(failing.job, async (ctx) => (ctx.stageSoon!('rendering', 20), Promise.reject(new Error('pool busy'))))).rejects.toThrow('pool busy');
    // start, the stage, the retrying state
    expect(failing.writes()).toBe(3);
    expect(failing.records.retrying).toHaveBeenCalledWith(expect.anything(), 'j1', failing.records.start.mock.calls[0][3], 'pool busy');
    expect(failing.record.stages?.map((s) => s.stage)).toEqual(['rendering']);
    expect(failing.events().map(([e, state, stage]) => `${e}:${state}:${stage}`)).toEqual(['job:progress:active:null', 'job:progress:active:rendering', 'job:progress:retrying:rendering']);

    const stale = setup();
    await expect(stale.sut.run(stale.job, async (ctx) => (ctx.stageSoon!('rendering', 20), Promise.reject(new SupersededRunError('newer'))))).rejects.toBeInstanceOf(SupersededRunError);
    await new Promise((r) => setTimeout(r, STAGE_WRITE_MS + 50));
    expect(stale.writes()).toBe(1);
    expect(stale.job.progress).not.toHaveBeenCalled();
  });

  it('a PermanentJobError is final on the first attempt and discards the Bull job', async () => {
    const { sut, job, tx } = setup({ attemptsMade: 0, attempts: 5 });
    const hook = jest.fn().mockResolvedValue(undefined);
    await expect(sut.run(job, async () => Promise.reject(new PermanentJobError('protocol is rejected')), hook)).rejects.toBeInstanceOf(PermanentJobError);
    expect(job.discard).toHaveBeenCalled();
    expect(hook).toHaveBeenCalledWith(tx, 'protocol is rejected');
  });

  it('a SupersededRunError (a newer run of the job holds its subject) leaves the record and the Bull job to that run, even on the last attempt', async () => {
    const { sut, record, job, writes, tx, events } = setup({ attemptsMade: 2, attempts: 3 });
    const hook = jest.fn();
    await expect(sut.run(job, async () => Promise.reject(new SupersededRunError('a newer run holds it')), hook)).rejects.toBeInstanceOf(SupersededRunError);
    expect(writes()).toBe(1); // only the start of the attempt
    expect([record.state, record.failedReason]).toEqual(['active', null]);
    expect(hook).not.toHaveBeenCalled();
    expect(tx.nativeUpdate).not.toHaveBeenCalled();
    expect(job.discard).not.toHaveBeenCalled();
    expect(events()).toEqual([['job:progress', 'active', null]]);
  });

  it('a Bull job without a record is discarded as permanent', async () => {
    const { sut, job } = setup({ record: false });
    await expect(sut.run(job, async () => ({}))).rejects.toThrow('job j1 has no record');
    expect(job.discard).toHaveBeenCalled();
  });
});
