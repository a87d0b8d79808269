import { EntityManager } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { JobKind, JobPayload, JobState, JobSubject } from '@vetlab/shared';
import type { Job } from 'bull';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { JobRecord } from './job.entity';
import { toJobEvent } from './job-views';
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
  ) {}

  /** A new record in the caller's unit of work: it commits with the change that asked for it. */
  create<K extends JobKind>(em: EntityManager, job: NewJob<K>): JobRecord {
    const record = em.create(JobRecord, {
      ...(job.id ? { id: job.id } : {}),
      kind: job.kind,
      subjectType: job.subject.type,
      subjectId: job.subject.id,
      createdById: job.createdById,
      payload: { ...job.payload },
    });
    em.persist(record);
    return record;
  }

  /**
   * One attempt of a Bull job against its record: active, stages, then completed, or retrying /
   * failed. A PermanentJobError (or the last attempt) fails it for good and discards the Bull job. A
   * SupersededRunError leaves the record alone: a newer run of the same job owns it.
   */
  async run<T extends object>(job: Job, work: (ctx: JobContext) => Promise<T>, onFinalFailure?: FinalFailureHook): Promise<T> {
    const em = this.em.fork();
    const id = String(job.id);
    const record = await em.findOne(JobRecord, { id });
    if (!record) {
      await job.discard();
      throw new PermanentJobError(`job ${id} has no record`);
    }
    const attempt = job.attemptsMade + 1;
    Object.assign(record, { state: JobState.Active, attempts: attempt, startedAt: record.startedAt ?? new Date(), finishedAt: null });
    await em.flush();
    this.emit(record, 'job:progress');

    const ctx: JobContext = {
      jobId: id,
      attempt,
      lastAttempt: attempt >= (job.opts.attempts ?? 1),
      priority: job.opts.priority,
      createdById: record.createdById,
      stage: async (stage, progress) => {
        Object.assign(record, { stage, progress });
        await em.flush();
        await job.progress(progress).catch((e: Error) => this.log.warn(`progress of job ${id}: ${e.message}`));
        this.emit(record, 'job:progress');
      },
    };

    try {
      const result = await work(ctx);
      Object.assign(record, { state: JobState.Completed, progress: 100, result, failedReason: null, finishedAt: new Date() });
      await em.flush();
      this.emit(record, 'job:completed');
      return result;
    } catch (e) {
      if (e instanceof SupersededRunError) {
        this.log.log(`job ${id} (${record.kind}) attempt ${attempt} stopped without writing: ${(e as Error).message}`);
        throw e;
      }
      const permanent = e instanceof PermanentJobError;
      const reason = reasonOf(e);
      if (!permanent) this.log.warn(`job ${id} (${record.kind}) attempt ${attempt} failed: ${(e as Error)?.stack ?? reason}`);
      if (permanent) await job.discard();
      const final = permanent || ctx.lastAttempt;
      await this.afterFailure(em, record, reason, final, onFinalFailure).catch((inner: Error) =>
        this.log.error(`could not record the failure of job ${id}: ${inner.message}`),
      );
      throw e;
    }
  }

  /**
   * Bull failed a job outside an attempt (it stalled more often than allowed): fail its record and
   * subject, unless the record is already over.
   */
  async failFromQueue(job: Job, reason: string, onFinalFailure?: FinalFailureHook): Promise<void> {
    const em = this.em.fork();
    const record = await em.findOne(JobRecord, { id: String(job.id) });
    if (!record || record.state === JobState.Completed || record.state === JobState.Failed) return;
    await this.afterFailure(em, record, reason, true, onFinalFailure);
  }

  private async afterFailure(em: EntityManager, record: JobRecord, reason: string, final: boolean, hook?: FinalFailureHook) {
    if (!final) {
      Object.assign(record, { state: JobState.Retrying, failedReason: reason });
      await em.flush();
      this.emit(record, 'job:progress');
      return;
    }
    const failed = { state: JobState.Failed, failedReason: reason, finishedAt: new Date() };
    await em.transactional(async (tx) => {
      await hook?.(tx, reason);
      await tx.nativeUpdate(JobRecord, { id: record.id }, failed);
    });
    // Written already; the copy only feeds the event (this fork is not flushed again).
    Object.assign(record, failed);
    this.emit(record, 'job:failed');
  }

  private emit(record: JobRecord, event: 'job:progress' | 'job:completed' | 'job:failed') {
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
