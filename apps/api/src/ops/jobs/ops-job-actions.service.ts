import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, ConflictCode, JobKind, JobState, OpsBatchResult, OpsJobRow, QueueName } from '@vetlab/shared';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { BulkRequestService } from '../../bulk/bulk-request.service';
import { conflict, ConflictError, notFound } from '../../common/domain-error';
import { writeTransaction } from '../../database/database';
import { HANDED_BACK } from '../../jobs/failure-cause';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobRerun, Rerun } from '../../jobs/job-rerun.service';
import { JobRecord } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { StrandedJobs } from '../../jobs/stranded-jobs.service';
import { JobSubjects, notRetryable } from '../../jobs/subjects/job-subjects.service';
import { kindsOf, OpsJobsRepository } from './ops-jobs.repository';
import { OpsJobsService } from './ops-jobs.service';
import { OpsStuckService } from './ops-stuck.service';

/**
 * The console's actions on jobs, admin only, each audited in the transaction of its change (entity
 * `job`). Each is safe against a double click: the change is a conditional update, and the second
 * call finds the job moved on and answers 409. Bull is reached only through JobQueues.
 */
@Injectable()
export class OpsJobActionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly repo: OpsJobsRepository,
    private readonly views: OpsJobsService,
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
    private readonly rerun: JobRerun,
    private readonly subjects: JobSubjects,
    private readonly bulk: BulkRequestService,
    private readonly stranded: StrandedJobs,
    private readonly stuck: OpsStuckService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A failed job runs again from the start under the same id: its record queued, its subject back
   * in the state the job needs (a bulk run through its resume), Bull's failed job replaced.
   */
  async retry(user: AuthUser, id: string): Promise<OpsJobRow> {
    const record = await this.load(id);
    await this.retryRecord(user, record);
    return this.views.one(id);
  }

  /** Every failed job of a queue, each by the same rule; those that cannot run again are skipped. */
  async retryFailed(user: AuthUser, queue: QueueName): Promise<OpsBatchResult> {
    let count = 0;
    for (const record of await this.repo.failedOf(kindsOf(queue))) {
      try {
        await this.retryRecord(user, record);
        count++;
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
      }
    }
    return { count };
  }

  /**
   * A failed or retrying job given up for good: Bull's job removed, the record `cancelled`, its
   * subject marked as a failure for good marks it (a finalize's version `finalize_failed`, a bulk
   * run `failed`).
   */
  async discard(user: AuthUser, id: string): Promise<OpsJobRow> {
    const record = await this.load(id);
    const refuse = (why: string) => conflict(`this job cannot be discarded: ${why}`, ConflictCode.JobNotDiscardable);
    if (record.state !== JobState.Failed && record.state !== JobState.Retrying) throw refuse(`it is ${record.state}`);
    if (!(await this.queues.removeUnlessActive(record.kind, record.id))) throw refuse('a worker is running it now');
    const reason = record.failedReason ?? 'discarded from the operations console';
    await writeTransaction(this.em, async (em) => {
      if (!(await this.jobs.discard(em, id))) throw refuse('it changed meanwhile');
      await this.subjects.fail(em, record, reason, user.id);
      this.record(em, user, record, AuditAction.JobDiscard, { state: record.state }, { state: JobState.Cancelled });
      await em.flush();
    });
    await this.jobs.announce(id);
    return this.views.one(id);
  }

  /** A job waiting out its retry backoff runs now. */
  async promote(user: AuthUser, id: string): Promise<OpsJobRow> {
    const record = await this.load(id);
    if (!(await this.queues.runDelayedNow(record.kind, record.id))) {
      throw conflict('this job is not waiting for a retry (delayed) in its queue', ConflictCode.JobNotDelayed);
    }
    await writeTransaction(this.em, async (em) => {
      this.record(em, user, record, AuditAction.JobPromote, { bullState: 'delayed' }, { bullState: 'waiting' });
      await em.flush();
    });
    return this.views.one(id);
  }

  /**
   * A stuck job handed back through the stranded-job sweeper's own decision: a job Redis lost is
   * added; an active job past its limit is first failed in Bull with a reason outside the job (its
   * hung worker's lock ignored), so the sweeper replaces it. The hung run, if it wakes, is fenced
   * off by its subject's run token. Never a second job: the same id, and Bull dedupes by id.
   */
  async handBack(user: AuthUser, id: string): Promise<OpsJobRow> {
    const record = await this.load(id);
    const notStuck = (why: string) => conflict(`this job is not stuck: ${why}`, ConflictCode.JobNotStuck);
    const states = await this.stuck.bullStates([record]);
    if (!states.has(record.id)) throw notStuck('its queue cannot be asked now');
    const verdict = this.stuck.verdict(record, states, await this.stuck.limits());
    if (!verdict || !record.payload) throw notStuck(`it is ${record.state}${states.get(record.id) ? ` and ${states.get(record.id)} in its queue` : ''}`);
    if (verdict.reason === 'too_long') await this.queues.failHung(record.kind, record.id, HANDED_BACK);
    const decision = await this.stranded.reconcile({ kind: record.kind, id: record.id, payload: record.payload, recorded: true }, 0);
    if (!decision) throw notStuck('its queue holds it to run');
    await writeTransaction(this.em, async (em) => {
      if (verdict.reason === 'too_long') await this.jobs.handedBack(em, id, HANDED_BACK);
      this.record(em, user, record, AuditAction.JobHandBack, { state: record.state, stuck: verdict.reason, forMs: verdict.forMs }, { decision });
      await em.flush();
    });
    await this.jobs.announce(id);
    return this.views.one(id);
  }

  private async retryRecord(user: AuthUser, record: JobRecord): Promise<void> {
    if (record.state !== JobState.Failed) throw notRetryable(`it is ${record.state}, not failed`);
    const audit = (em: EntityManager) => this.record(em, user, record, AuditAction.JobRetry, { state: JobState.Failed }, { state: JobState.Queued });
    if (record.kind === JobKind.BulkProtocols) {
      try {
        await this.bulk.resume(user, record.subjectId, audit);
      } catch (e) {
        if (e instanceof ConflictError) throw notRetryable(e.message);
        throw e;
      }
    } else {
      if (!record.payload) throw notRetryable('it has no payload to run with');
      const job: Rerun<JobKind> = { kind: record.kind, id: record.id, payload: record.payload, from: [JobState.Failed] };
      const requeued = await this.rerun.rerun(job, async (em) => {
        await this.subjects.reopen(em, record, user.id);
        audit(em);
      });
      if (!requeued) throw notRetryable('it changed meanwhile, or its queue still runs it');
    }
    await this.jobs.announce(record.id);
  }

  private async load(id: string): Promise<JobRecord> {
    const record = await this.repo.one(id);
    if (!record) throw notFound('job');
    return record;
  }

  private record(em: EntityManager, user: AuthUser, job: JobRecord, action: AuditAction, before: Record<string, unknown>, after: Record<string, unknown>) {
    this.audit.record(em, { actorId: user.id, entity: 'job', entityId: job.id, action, before: { kind: job.kind, ...before }, after, jobId: job.id });
  }
}
