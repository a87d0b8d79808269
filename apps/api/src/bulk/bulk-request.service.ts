import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { ACTION_TARGET, AuditAction, BULK_MAX_ITEMS, BulkAccepted, ConflictCode, BulkRequestDto, FieldErrorCode, isBulkRunOver, isBulkRunResumable, JobKind, JobState, ProtocolAction, ProtocolFilter } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { conflict, invalid, notFound } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { JobQueues } from '../jobs/job-queues.service';
import { JobRerun } from '../jobs/job-rerun.service';
import { JobsService } from '../jobs/jobs.service';
import { applyProtocolFilter, searchPlanFor } from '../protocols/protocol-list-query';
import { Protocol } from '../protocols/protocol.entity';
import { BulkLedgerRepository } from './bulk-ledger.repository';
import { BulkRun } from './bulk-run.entity';

/** A resumed run's job: failed (its run failed for good), or cancelled (an admin discarded it from the operations console). */
const RESUMABLE_JOB_STATES: readonly JobState[] = [JobState.Failed, JobState.Cancelled];

/** Where a new run's items come from: ids in request order, or the failed items of an earlier run. */
type ItemSource = { ids: string[] } | { failedOf: BulkRun };

interface NewRun {
  action: ProtocolAction;
  reason: string | null;
  source: ItemSource;
}

/**
 * `POST /api/protocols/bulk`, retry-failed and resume: write the run and its JobRecord in one transaction,
 * enqueue, answer 202. The requested ids ride on the run as one value (the worker expands them into
 * the ledger with one INSERT … SELECT), so the answer costs the same for 50 ids or 10,000; a retry
 * copies the failed items of the earlier run into its ledger with one INSERT … SELECT here.
 */
@Injectable()
export class BulkRequestService {
  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
    private readonly ledger: BulkLedgerRepository,
    private readonly audit: AuditService,
    private readonly rerun: JobRerun,
  ) {}

  async start(user: AuthUser, body: BulkRequestDto): Promise<BulkAccepted> {
    const ids = body.ids ?? (await this.resolveFilter(user, body.filter ?? {}));
    if (!ids.length) throw invalid('body.filter', 'matches no protocol');
    return this.create(user, { action: body.action, reason: body.reason ?? null, source: { ids } });
  }

  async retryFailed(user: AuthUser, bulkId: string): Promise<BulkAccepted> {
    const run = await this.em.fork().findOne(BulkRun, { id: bulkId });
    if (!run) throw notFound('bulk run');
    if (!isBulkRunOver(run.state)) throw conflict('this bulk run is still going; retry its failed items once it is over');
    if (!run.failed) throw conflict('this bulk run has no failed items');
    return this.create(user, { action: run.action, reason: run.reason, source: { failedOf: run } });
  }

  /**
   * A failed run goes on from its ledger under its own job: pending items are processed, done ones
   * stay done, and its digests go out when it finishes. Bull's failed job is removed first, so the
   * sweeper cannot take the requeued record for one Bull failed for its own reason; the new one is
   * added after the commit (with Redis away, the sweeper adds it later): JobRerun's path. `also`
   * adds to the transaction (the operations console's audit entry).
   */
  async resume(user: AuthUser, bulkId: string, also?: (em: EntityManager) => void): Promise<BulkAccepted> {
    const run = await this.em.fork().findOne(BulkRun, { id: bulkId });
    if (!run) throw notFound('bulk run');
    if (!isBulkRunResumable(run.state)) throw conflict(`this bulk run is ${run.state}: only a failed run can be resumed`, ConflictCode.BulkRunNotResumable);
    const changed = () => conflict('this bulk run changed meanwhile; reload it');
    const rerun = { kind: JobKind.BulkProtocols, id: run.jobId, payload: { bulkId }, from: RESUMABLE_JOB_STATES };
    const requeued = await this.rerun.rerun(rerun, async (em) => {
      if (!(await this.reopen(em, bulkId))) throw changed();
      this.audit.record(em, { actorId: user.id, entity: 'bulk_run', entityId: bulkId, action: AuditAction.StatusChange, before: { state: run.state }, after: { state: 'queued' } });
      also?.(em);
    });
    if (!requeued) throw changed();
    return { jobId: run.jobId, kind: JobKind.BulkProtocols, state: JobState.Queued, bulkId, total: run.total };
  }

  /** A failed run queued again (its job record is requeued by the caller); false when it is not failed (any more). */
  reopen(em: EntityManager, bulkId: string): Promise<boolean> {
    return this.ledger.reopen(em, bulkId, 'failed');
  }

  /** The ids a list filter matches now (the same rules as the protocol list), at most 10,000. */
  private async resolveFilter(user: AuthUser, filter: ProtocolFilter): Promise<string[]> {
    const em = this.em.fork() as SqlEntityManager;
    const qb = em.createQueryBuilder(Protocol, 'p');
    if (!applyProtocolFilter(qb, filter, user, await searchPlanFor(em, filter))) return [];
    const count = qb.clone();
    const rows = await qb.select('p.id').orderBy({ createdAt: 'asc', id: 'asc' }).limit(BULK_MAX_ITEMS + 1).execute<{ id: string }[]>('all', false);
    if (rows.length > BULK_MAX_ITEMS) {
      const n = await count.getCount();
      throw invalid('body.filter', `matches ${n.toLocaleString('en')} protocols; a bulk action takes at most ${BULK_MAX_ITEMS.toLocaleString('en')}: narrow the filter`, FieldErrorCode.TooBig, BULK_MAX_ITEMS);
    }
    return rows.map((r) => r.id);
  }

  private async create(user: AuthUser, r: NewRun): Promise<BulkAccepted> {
    const bulkId = randomUUID();
    const jobId = randomUUID();
    this.queues.assertReady(); // Redis away: 503 before the run is written
    const total = await withRunNumberRetry(() => writeTransaction(this.em, (em) => this.insert(em as SqlEntityManager, user, bulkId, jobId, r)));
    // After commit: the worker must find the run and its ledger.
    await this.queues.add(JobKind.BulkProtocols, jobId, { bulkId });
    return { jobId, kind: JobKind.BulkProtocols, state: JobState.Queued, bulkId, total };
  }

  private async insert(em: SqlEntityManager, user: AuthUser, bulkId: string, jobId: string, r: NewRun): Promise<number> {
    const n = await this.ledger.nextRunNumber(em);
    const total = 'ids' in r.source ? r.source.ids.length : r.source.failedOf.failed;
    await em.insert(BulkRun, {
      id: bulkId,
      number: n,
      action: r.action,
      target: ACTION_TARGET[r.action],
      reason: r.reason,
      total,
      jobId,
      createdById: user.id,
      retryOf: 'failedOf' in r.source ? r.source.failedOf.id : null,
      pendingIds: 'ids' in r.source ? JSON.stringify(r.source.ids) : null,
      createdAt: new Date(),
    });
    if ('failedOf' in r.source) await this.ledger.copyFailed(em, bulkId, r.source.failedOf.id);
    await this.jobs.create(em, { id: jobId, kind: JobKind.BulkProtocols, subject: { type: 'bulk', id: bulkId }, createdById: user.id, payload: { bulkId } });
    await em.flush();
    return total;
  }
}

/** Two runs created at the same instant may take the same number; the loser takes the next. */
async function withRunNumberRetry<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof UniqueConstraintViolationException) || i >= attempts) throw e;
    }
  }
}
