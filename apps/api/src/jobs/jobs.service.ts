import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobPayload, JobResult, JobState, JobSubject } from '@vetlab/shared';
import type { Job } from 'bull';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { JobRecord } from './job.entity';
import { JobRecordsRepository, RunRecord } from './job-records.repository';
import { toJobEvent } from './job-views';
import { attemptOutcome } from './failure-cause';
import { retryWithin } from './retry-within';
import { PermanentJobError } from './permanent-job-error';
import { SupersededRunError } from './superseded-run-error';

/** What a job step sees of its job: who asked, which attempt, and how to report a stage. */
export interface JobContext {
  readonly jobId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** No retry follows a failure of this one. */
  readonly lastAttempt: boolean;
  /** Bull's priority (lower goes first), when the producer gave one. */
  readonly priority?: number;
  readonly createdById: string | null;
  /** Persists the stage on the record, tells Bull and the browsers (job:progress). */
  stage(stage: string, progress: number): Promise<void>;
  /**
   * The same, without waiting: the record, Bull and the browsers (job:progress, the latest stage)
   * hear within STAGE_WRITE_MS, the stages marked meanwhile in one write and one event, or with the
   * attempt's end (the record's stages are complete then). For the short stages of a job whose
   * every step costs. `now`: the write and the event start at once (with the stages waiting for
   * theirs), still without waiting for them: for a stage that lasts, which the record should show
   * while it runs.
   */
  stageSoon?(stage: string, progress: number, opts?: { now?: boolean }): void;
}

/** Runs in the same transaction that marks the record failed, so subject and job agree. */
export type FinalFailureHook = (em: EntityManager, reason: string) => Promise<void>;

export interface NewJob<K extends JobKind> {
  id?: string;
  kind: K;
  subject: JobSubject;
  createdById: string | null;
  payload: JobPayload<K>;
}

const MAX_REASON = 1000;
/** How long a stage marked with `stageSoon` may wait for its write and event: the stages marked meanwhile share them. */
export const STAGE_WRITE_MS = 200;

/**
 * Job records and their events. Records are the truth a browser resynchronises from; the events
 * (`job:progress`, `job:completed`, `job:failed` to the creator, staff and admins) are the fast path
 * and never throw.
 */
@Injectable()
export class JobsService {
  private readonly log = new Logger(JobsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: JobRecordsRepository,
  ) {}

  /**
   * A new record, written now in the caller's transaction (plain SQL: every finalize, render and
   * bulk request writes one, and the unit of work's flush cost more than the insert), so it commits
   * or rolls back with the change that asked for it. Returned as an entity the unit of work does not
   * manage: read it, do not change it.
   */
  async create<K extends JobKind>(em: EntityManager, job: NewJob<K>): Promise<JobRecord> {
    const record = Object.assign(new JobRecord(), {
      ...(job.id ? { id: job.id } : {}),
      kind: job.kind,
      subjectType: job.subject.type,
      subjectId: job.subject.id,
      createdById: job.createdById,
      payload: { ...job.payload },
    });
    await this.records.insert(em, record);
    return record;
  }

  /**
   * One attempt of a Bull job against its record: active, stages, then completed, or retrying /
   * failed. A PermanentJobError (or the last attempt failing for the job's own reason) fails it for
   * good and discards the Bull job; a failure from outside (the database or Redis away) never does:
   * the record stays retrying and the stranded-job sweeper runs the job again.
   *
   * Writing the record is bookkeeping: it retries through a short outage. When it still cannot, a
   * stage is let go (it is only progress); a failure stands in Bull, where the sweeper finds it; a
   * completion fails the attempt as an outside failure, so the job runs again (every job is safe to
   * run twice) and no `…:ready` event precedes the record that says completed.
   *
   * A SupersededRunError leaves the record alone: a newer run of the same job owns it. So does any
   * write of an attempt that finds a newer attempt's run token on the record (its Bull lock lost,
   * the job taken over by another worker): no stage, failure or completion of a stale run lands
   * over the newer one's, and it announces none; it ends in a SupersededRunError, whatever its work did.
   */
  async run<T extends object>(job: Job, work: (ctx: JobContext) => Promise<T>, onFinalFailure?: FinalFailureHook): Promise<T> {
    const em = this.em.fork();
    const id = String(job.id);
    const attempt = job.attemptsMade + 1;
    // An attempt that cannot even record its start (the database away, the disk full) says so here:
    // its record cannot, and Bull and the sweeper run it again.
    const starting = <T>(write: () => Promise<T>) =>
      this.retried(`the start of job ${id}`, write).catch((e: Error) => {
        this.log.warn(`job ${id} attempt ${attempt} could not start: ${e.message}`);
        throw e;
      });
    const record = await starting(() => this.records.forRun(em, id));
    if (!record) {
      await job.discard();
      throw new PermanentJobError(`job ${id} has no record`);
    }
    const token = randomUUID();
    await starting(() => this.records.start(em, id, attempt, token));
    Object.assign(record, { state: JobState.Active, attempts: attempt, stages: [] });
    this.emit(record, 'job:progress');
    /** Set once a write of this attempt found a newer attempt's token: it announces nothing more. */
    let superseded = false;
    const announce = (event: 'job:progress' | 'job:completed') => {
      if (!superseded) this.emit(record, event);
    };

    const mark = (stage: string, progress: number) => {
      // A stage reported again (a bulk run's progress) keeps the time it began.
      const marks = record.stages ?? [];
      const stages = marks.at(-1)?.stage === stage ? marks : [...marks, { stage, at: new Date().toISOString() }];
      Object.assign(record, { stage, progress, stages });
    };
    // Stage writes run one after the other on this fork; one marked with stageSoon waits in `due`.
    let writing: Promise<void> = Promise.resolve();
    let due: NodeJS.Timeout | null = null;
    const writeStage = (): Promise<void> => {
      if (due) clearTimeout(due);
      due = null;
      const { stage, progress, stages } = record;
      writing = writing.then(async () => {
        const written = await this.retried(`the stage of job ${id}`, () => this.records.writeStage(em, id, token, { stage, progress, stages })).catch((e: Error) => {
          this.log.warn(e.message);
          return true;
        });
        if (!written) superseded = true;
        if (superseded) return;
        await job.progress(progress).catch((e: Error) => this.log.warn(`progress of job ${id}: ${e.message}`));
      });
      return writing;
    };
    /** A stageSoon's write, then its event. */
    const writeSoon = async () => {
      await writeStage();
      announce('job:progress');
    };
    /** Before the attempt's end is written: no stage write left behind it (`flush`: the marked one written first). */
    const settleStages = (flush: boolean): Promise<void> => {
      if (due && flush) return writeSoon();
      if (due) clearTimeout(due);
      due = null;
      return writing;
    };

    const ctx: JobContext = {
      jobId: id,
      attempt,
      lastAttempt: attempt >= (job.opts.attempts ?? 1),
      priority: job.opts.priority,
      createdById: record.createdById,
      stage: async (stage, progress) => {
        mark(stage, progress);
        await writeStage();
        announce('job:progress');
      },
      stageSoon: (stage, progress, opts) => {
        mark(stage, progress);
        if (opts?.now) void writeSoon();
        else due ??= setTimeout(() => void writeSoon(), STAGE_WRITE_MS);
      },
    };

    let result: T;
    try {
      result = await work(ctx);
    } catch (e) {
      // A superseded run writes nothing more: the record is the newer run's.
      await settleStages(!(e instanceof SupersededRunError));
      if (e instanceof SupersededRunError) {
        this.log.log(`job ${id} (${record.kind}) attempt ${attempt} stopped without writing: ${(e as Error).message}`);
        throw e;
      }
      const permanent = e instanceof PermanentJobError;
      const reason = reasonOf(e);
      if (!permanent) this.log.warn(`job ${id} (${record.kind}) attempt ${attempt} failed: ${(e as Error)?.stack ?? reason}`);
      const final = attemptOutcome(e, ctx.lastAttempt) === 'failed';
      const recorded = await this.retried(`the failure of job ${id}`, () => this.afterFailure(em, record, reason, final, onFinalFailure, token)).catch((inner: Error) => {
        this.log.error(inner.message);
        return true;
      });
      // Its failure is not the job's any more: it must not end (or discard) the newer attempt's Bull job.
      if (!recorded) throw new SupersededRunError(`a newer attempt of job ${id} owns its record (this one failed: ${reason})`);
      if (permanent) await job.discard();
      throw e;
    }
    // The completion writes the stages still waiting for their write, with the rest of the record.
    await settleStages(false);
    const completed = await this.retried(`the completion of job ${id}`, () =>
      this.records.complete(em, id, token, { stage: record.stage, stages: record.stages, result: result as JobResult<JobKind> }),
    );
    if (!completed) {
      this.log.log(`job ${id} (${record.kind}) attempt ${attempt} done, not recorded: a newer attempt owns the record`);
      throw new SupersededRunError(`a newer attempt of job ${id} owns its record`);
    }
    Object.assign(record, { state: JobState.Completed, progress: 100, failedReason: null });
    announce('job:completed');
    return result;
  }

  /**
   * Bull failed a job for its own reason while its record never heard (the failure could not be
   * written then): fail its record and subject, unless the record is already over.
   */
  async failFromQueue(job: Job, reason: string, onFinalFailure?: FinalFailureHook): Promise<void> {
    const em = this.em.fork();
    const record = await this.records.forRun(em, String(job.id));
    if (!record || !ACTIVE_JOB_STATES.includes(record.state)) return;
    await this.afterFailure(em, record, reason, true, onFinalFailure);
  }

  /**
   * Bull gave a job up outside an attempt (its workers kept dying): the record, if still running,
   * says retrying with the reason, and the stranded-job sweeper replaces the job.
   */
  async givenUp(job: Job, reason: string): Promise<void> {
    const em = this.em.fork();
    const record = await this.records.forRun(em, String(job.id));
    if (!record || !ACTIVE_JOB_STATES.includes(record.state)) return;
    await this.afterFailure(em, record, reason, false);
  }

  /**
   * A job to run again from the start (a bulk run resumed, a failed job retried): queued, attempts,
   * stages and failure cleared, only while it is in one of `from` (any state when not given); true
   * when it was. In the caller's transaction; the caller enqueues after the commit.
   */
  async requeue(em: EntityManager, id: string, from?: readonly JobState[]): Promise<boolean> {
    const where = from ? { id, state: { $in: [...from] } } : { id };
    return (await em.nativeUpdate(JobRecord, where, { state: JobState.Queued, stage: null, stages: null, progress: 0, attempts: 0, failedReason: null, finishedAt: null })) === 1;
  }

  /**
   * A failed or retrying job given up for good by an admin: `cancelled` (a person ended it, unlike
   * `failed`, which the job's own error did; the reason of its last failure stays). Only from those
   * states; true when it changed. In the caller's transaction.
   */
  async discard(em: EntityManager, id: string): Promise<boolean> {
    const where = { id, state: { $in: [JobState.Failed, JobState.Retrying] } };
    return (await em.nativeUpdate(JobRecord, where, { state: JobState.Cancelled, finishedAt: new Date() })) === 1;
  }

  /**
   * An active job handed back from a worker that stopped answering: `retrying` with the reason, until
   * another worker takes the replaced Bull job. Only while active; true when it changed.
   */
  async handedBack(em: EntityManager, id: string, reason: string): Promise<boolean> {
    return (await em.nativeUpdate(JobRecord, { id, state: JobState.Active }, { state: JobState.Retrying, failedReason: reason })) === 1;
  }

  /** Tells the job's audience its record changed outside a run (an admin's action); never throws. */
  async announce(id: string): Promise<void> {
    const record = await this.em.fork().findOne(JobRecord, { id }).catch(() => null);
    if (!record) return;
    const event = record.state === JobState.Completed ? 'job:completed' : record.state === JobState.Failed || record.state === JobState.Cancelled ? 'job:failed' : 'job:progress';
    this.emit(record, event);
  }

  /**
   * The record (and, when final, the subject) after a failure; false when it did not apply. An
   * attempt's own (`token`) applies only while the record holds its token, and announces nothing
   * when it does not; null: a failure found outside an attempt (by Bull, the sweeper).
   */
  private async afterFailure(em: EntityManager, record: RunRecord, reason: string, final: boolean, hook?: FinalFailureHook, token: string | null = null): Promise<boolean> {
    if (!final) {
      if (!(await this.records.retrying(em, record.id, token, reason))) return false;
      Object.assign(record, { state: JobState.Retrying, failedReason: reason });
      this.emit(record, 'job:progress');
      return true;
    }
    const failed = { state: JobState.Failed, failedReason: reason, finishedAt: new Date() };
    const applied = await em.transactional(async (tx) => {
      if ((await tx.nativeUpdate(JobRecord, token === null ? { id: record.id } : { id: record.id, runToken: token }, failed)) !== 1) return false;
      await hook?.(tx, reason);
      return true;
    });
    if (!applied) return false;
    Object.assign(record, { state: failed.state, failedReason: failed.failedReason });
    this.emit(record, 'job:failed');
    return true;
  }

  private retried<T>(what: string, write: () => Promise<T>): Promise<T> {
    return retryWithin(`record ${what}`, this.config.jobs.bookkeepingRetryMs, write);
  }

  private emit(record: RunRecord, event: 'job:progress' | 'job:completed' | 'job:failed') {
    try {
      this.realtime.emit(audience(event, record), event, toJobEvent(record));
    } catch (e) {
      this.log.warn(`${event} for job ${record.id} not sent: ${(e as Error).message}`);
    }
  }
}

function reasonOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return (message || 'unknown error').slice(0, MAX_REASON);
}
