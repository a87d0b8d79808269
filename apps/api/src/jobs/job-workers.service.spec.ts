import { JobKind, values } from '@vetlab/shared';
import type { Metrics } from '../metrics/metrics.service';
import type { JobQueues } from './job-queues.service';
import { checkProcessors, JobWorkers } from './job-workers.service';
import type { JobsService } from './jobs.service';
import type { StrandedJobs } from './stranded-jobs.service';
import { SupersededRunError } from './superseded-run-error';
import type { JobSubjects } from './subjects/job-subjects.service';

const ALL = values(JobKind);

describe('checkProcessors', () => {
  it('passes when every kind has exactly one processor', () => {
    expect(() => checkProcessors(ALL, [...ALL].reverse())).not.toThrow();
  });

  it('refuses a kind without a processor, and one with two', () => {
    expect(() => checkProcessors(ALL, ALL.filter((k) => k !== JobKind.SendEmail))).toThrow('job processors: none for send_email');
    expect(() => checkProcessors(ALL, [...ALL, JobKind.BulkProtocols])).toThrow('job processors: more than one for bulk_protocols');
    expect(() => checkProcessors(ALL, [JobKind.WorkOrderPdf, JobKind.WorkOrderPdf])).toThrow(
      'job processors: none for finalize_report, bulk_protocols, send_email, report_pdf; more than one for work_order_pdf',
    );
  });
});

describe('JobWorkers at bootstrap', () => {
  function setup() {
    const queue = { process: jest.fn().mockResolvedValue(undefined), on: jest.fn() };
    const queues = { of: jest.fn(() => queue), connected: jest.fn().mockResolvedValue(undefined) };
    const stranded = { start: jest.fn().mockResolvedValue(undefined) };
    const order: string[] = [];
    const jobs = {
      run: jest.fn(async (_job, work) => work({ createdById: 'u1' }).finally(() => order.push('record completed'))),
      givenUp: jest.fn().mockResolvedValue(undefined),
    };
    const metrics = { jobAttempt: jest.fn() };
    const sut = new JobWorkers(jobs as unknown as JobsService, queues as unknown as JobQueues, stranded as unknown as StrandedJobs, { failureHook: jest.fn() } as unknown as JobSubjects, metrics as unknown as Metrics);
    const register = (kind: JobKind) => sut.register({ kind, concurrency: 2, run: jest.fn() });
    return { sut, queue, stranded, register, order, jobs, metrics };
  }

  it('refuses to start with a kind unprocessed: nothing is processed', () => {
    const { sut, queue, register } = setup();
    ALL.filter((k) => k !== JobKind.ReportPdf).forEach(register);
    expect(() => sut.onModuleInit()).toThrow('none for report_pdf');
    expect(queue.process).not.toHaveBeenCalled();
  });

  it('refuses to start with a kind registered twice', () => {
    const { sut, register } = setup();
    [...ALL, JobKind.FinalizeReport].forEach(register);
    expect(() => sut.onModuleInit()).toThrow('more than one for finalize_report');
  });

  it('hands each kind to its queue under its job name; sweeps once bootstrapped', async () => {
    const { sut, queue, stranded, register } = setup();
    ALL.forEach(register);
    sut.onModuleInit();
    expect(stranded.start).not.toHaveBeenCalled();
    await sut.onApplicationBootstrap();
    expect(queue.process.mock.calls.map(([name, concurrency]) => [name, concurrency])).toEqual([
      ['finalize', 2],
      ['render', 2],
      ['run', 2],
      ['send', 2],
      ['render-pdf', 2],
    ]);
    expect(queue.on).toHaveBeenCalledWith('failed', expect.any(Function));
    expect(stranded.start).toHaveBeenCalled();
  });

  it('the ready event follows the completion record', async () => {
    const { sut, queue, order } = setup();
    for (const kind of ALL) {
      sut.register({ kind, concurrency: 1, run: async () => ({}) as never, completed: async (_data, requestedBy) => void order.push(`ready for ${requestedBy}`) });
    }
    sut.onModuleInit();
    await queue.process.mock.calls[0][2]({ id: 'j1', data: {} });
    expect(order).toEqual(['record completed', 'ready for u1']);
  });

  it('a job Bull gave up because its workers kept dying: its record says retrying, for the sweeper to replace', async () => {
    const { sut, queue, register, jobs } = setup();
    ALL.forEach(register);
    sut.onModuleInit();
    const onFailed = queue.on.mock.calls.find(([event]) => event === 'failed')[1];
    const job = { id: 'j1', name: 'finalize', queue: { name: 'reports' } };
    await onFailed(job, new Error('job stalled more than allowable limit'));
    await onFailed(job, new Error('disk full'));
    expect(jobs.givenUp.mock.calls).toEqual([[job, 'job stalled more than allowable limit']]);
  });

  it('a run that stopped superseded gives the job back to Bull only after the newer run of it in this process ended', async () => {
    const { sut, queue, jobs } = setup();
    let finishNewer = (_: unknown) => undefined as void;
    const newer = new Promise((r) => (finishNewer = r));
    for (const kind of ALL) sut.register({ kind, concurrency: 2, run: jest.fn() });
    jobs.run.mockImplementation(async () => newer);
    sut.onModuleInit();
    const handle = queue.process.mock.calls[0][2];
    const ends: string[] = [];
    // The stale run is still in flight when the newer one starts (as after a lost lock).
    let releaseStale = (_: unknown) => undefined as void;
    const staleGate = new Promise((r) => (releaseStale = r));
    jobs.run.mockImplementationOnce(async () => staleGate.then(() => Promise.reject(new SupersededRunError('a newer run holds it'))));
    const stale = handle({ id: 'j1', data: {} }).catch((e: Error) => ends.push(`stale: ${e.name}`));
    const fresh = handle({ id: 'j1', data: {} }).then(() => ends.push('newer: done'));
    releaseStale(null);
    await new Promise((r) => setTimeout(r, 20));
    expect(ends).toEqual([]);
    finishNewer({});
    await Promise.all([stale, fresh]);
    expect(ends).toEqual(['newer: done', 'stale: SupersededRunError']);
  });

  it('a superseded run with no newer run in this process ends at once, and other jobs never wait on it', async () => {
    const { sut, queue, jobs } = setup();
    for (const kind of ALL) sut.register({ kind, concurrency: 2, run: jest.fn() });
    sut.onModuleInit();
    const handle = queue.process.mock.calls[0][2];
    let finishOther = (_: unknown) => undefined as void;
    jobs.run.mockImplementationOnce(async () => new Promise((r) => (finishOther = r)));
    const other = handle({ id: 'j2', data: {} });
    jobs.run.mockImplementationOnce(async () => Promise.reject(new SupersededRunError('a run in another process holds it')));
    await expect(handle({ id: 'j1', data: {} })).rejects.toThrow('a run in another process holds it');
    finishOther({});
    await other;
  });

  it('counts each attempt by kind and outcome, with its duration', async () => {
    const { sut, queue, jobs, metrics, register } = setup();
    ALL.forEach(register);
    sut.onModuleInit();
    const handle = queue.process.mock.calls[0][2];
    const job = (attemptsMade: number) => ({ id: `j${attemptsMade}`, data: {}, attemptsMade, opts: { attempts: 3 } });
    jobs.run.mockImplementationOnce(async () => ({}));
    await handle(job(0));
    jobs.run.mockImplementationOnce(async () => Promise.reject(new Error('bad data')));
    await expect(handle(job(0))).rejects.toThrow('bad data');
    jobs.run.mockImplementationOnce(async () => Promise.reject(new Error('bad data')));
    await expect(handle(job(2))).rejects.toThrow('bad data');
    jobs.run.mockImplementationOnce(async () => Promise.reject(new SupersededRunError('newer run')));
    await expect(handle(job(1))).rejects.toThrow('newer run');
    expect(metrics.jobAttempt.mock.calls.map(([kind, outcome, seconds]) => [kind, outcome, typeof seconds])).toEqual([
      [JobKind.FinalizeReport, 'completed', 'number'],
      [JobKind.FinalizeReport, 'retried', 'number'],
      [JobKind.FinalizeReport, 'failed', 'number'],
      [JobKind.FinalizeReport, 'superseded', 'number'],
    ]);
  });
});
