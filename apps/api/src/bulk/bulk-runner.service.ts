import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, BulkRunResult, checkAction, isBulkRunOver, ProtocolAction, ProtocolStatus } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { writeTransaction } from '../database/database';
import { JobContext } from '../jobs/jobs.service';
import { PermanentJobError } from '../jobs/permanent-job-error';
import { OutboxService } from '../mail/outbox.service';
import { NoticesService, WrittenNotice } from '../notices/notices.service';
import { protocolNotice } from '../protocols/protocol-transitions.service';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { BulkLedgerRepository, Outcome } from './bulk-ledger.repository';
import { doneOf, ProgressThrottle, progressEvent } from './bulk-progress';
import { BulkRun } from './bulk-run.entity';

/** Attempts of one chunk's transaction before the job itself fails (and Bull retries it later). */
const CHUNK_ATTEMPTS = 3;
const CANCELLED_REASON = 'cancelled before it was processed';
const NOT_FOUND_REASON = 'protocol not found';


/** A chunk whose UPDATE did not touch every row it expected: a concurrent write; run it again. */
class ChunkRaceError extends Error {}

/**
 * Runs a bulk run from its ledger: chunk after chunk of pending items, each in one transaction of
 * set-based statements (read, classify, one conditional UPDATE of the protocols, one multi-row
 * INSERT of audit entries, a few UPDATEs of the ledger and the run's counters). Only pending items
 * are read, so a run picked up again after a crash continues where the last commit left it.
 */
@Injectable()
export class BulkRunnerService {
  private readonly log = new Logger(BulkRunnerService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly ledger: BulkLedgerRepository,
    private readonly realtime: RealtimeService,
    private readonly notices: NoticesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(bulkId: string, ctx: JobContext): Promise<BulkRunResult> {
    const em = this.em.fork();
    const run = await em.findOne(BulkRun, { id: bulkId });
    if (!run) throw new PermanentJobError(`bulk run ${bulkId} does not exist`);
    if (isBulkRunOver(run.state)) {
      // Closed by an attempt that died before it handed the digests to the mail queue.
      const pending = await this.outbox.pendingDigestsOfRun(em, run.number);
      await this.outbox.send(pending);
      return this.result(run, pending.length);
    }
    if (run.state === 'queued' || !run.startedAt) {
      await this.ledger.markRunning(em, bulkId, run.startedAt ?? new Date());
    }
    await writeTransaction(this.em, (tx) => this.ledger.writeFromPendingIds(tx, bulkId));
    const throttle = new ProgressThrottle();
    for (;;) {
      const current = await this.reload(bulkId);
      if (current.cancelRequested) {
        await writeTransaction(this.em, (tx) => this.ledger.cancelPending(tx, current.id, CANCELLED_REASON));
        break;
      }
      const processed = await this.chunkWithRetry(current, ctx.jobId);
      if (!processed) break;
      if (throttle.take()) await this.progress(ctx, await this.reload(bulkId));
    }
    const { run: finished, digests } = await this.finish(bulkId);
    await this.progress(ctx, finished);
    return this.result(finished, digests);
  }

  /** `bulk:completed` once the job is recorded as completed (a browser that checks the job on the event finds it done). */
  async announce(bulkId: string): Promise<void> {
    const run = await this.reload(bulkId);
    if (!isBulkRunOver(run.state)) return;
    this.realtime.emit(audience('bulk:completed', {}), 'bulk:completed', { ...progressEvent(run), etaSeconds: null, cancelled: run.cancelled });
  }

  private reload(bulkId: string): Promise<BulkRun> {
    return this.em.fork().findOneOrFail(BulkRun, { id: bulkId });
  }

  private async progress(ctx: JobContext, run: BulkRun) {
    const event = progressEvent(run);
    this.realtime.emit(audience('bulk:progress', {}), 'bulk:progress', event);
    await ctx.stage('processing', run.total ? Math.floor((100 * event.done) / run.total) : 100);
  }

  /** A transient error (a lock, a lost connection, a race) retries the chunk; the ledger makes that safe. */
  private async chunkWithRetry(run: BulkRun, jobId: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { processed, notices } = await writeTransaction(this.em, (tx) => this.chunk(tx, run, jobId));
        this.notices.announce(notices);
        return processed;
      } catch (e) {
        if (attempt >= CHUNK_ATTEMPTS) throw e;
        this.log.warn(`bulk run ${run.id}: chunk attempt ${attempt} failed (${(e as Error).message}); trying again`);
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /** Returns how many items it processed, and the clinics' vets' notices it wrote (sent once it commits). */
  private async chunk(em: EntityManager, run: BulkRun, jobId: string): Promise<{ processed: number; notices: WrittenNotice[] }> {
    const items = await this.ledger.pending(em, run.id, this.config.bulk.chunkSize);
    if (!items.length) return { processed: 0, notices: [] };
    const ids = items.map((i) => i.protocolId);
    const statusOf = await this.ledger.protocolStatuses(em, ids);

    const outcomes = new Map<string, Outcome>();
    const eligible: { id: string; from: ProtocolStatus }[] = [];
    for (const id of ids) {
      const from = statusOf.get(id)?.status;
      if (!from) {
        outcomes.set(id, { status: 'failed', reason: NOT_FOUND_REASON });
        continue;
      }
      const check = checkAction(from, run.action);
      if (check.ok) eligible.push({ id, from });
      else outcomes.set(id, { status: check.code === 'already' ? 'skipped' : 'failed', reason: check.reason });
    }

    if (eligible.length) {
      const now = new Date();
      const changes: Record<string, unknown> = { status: run.target, updatedAt: now };
      if (run.action === ProtocolAction.Receive) Object.assign(changes, { receivedAt: now, receivedBy: run.createdById });
      if (run.action === ProtocolAction.Reject) changes.rejectionReason = run.reason;
      const froms = [...new Set(eligible.map((e) => e.from))];
      const updated = await this.ledger.changeStatuses(em, eligible.map((e) => e.id), froms, changes);
      if (updated !== eligible.length) throw new ChunkRaceError(`${eligible.length - updated} protocol(s) changed while the chunk ran`);
      const after: Record<string, unknown> = { status: run.target };
      if (run.action === ProtocolAction.Reject) after.rejectionReason = run.reason;
      await this.audit.recordMany(
        em,
        eligible.map((e) => ({ actorId: run.createdById, entity: 'protocol', entityId: e.id, action: AuditAction.StatusChange, before: { status: e.from }, after, jobId })),
        now,
      );
      for (const e of eligible) outcomes.set(e.id, { status: 'succeeded', reason: null });
    }

    await this.ledger.record(em, run.id, items.map((i) => ({ position: i.position, outcome: outcomes.get(i.protocolId)! })));
    const changes = eligible.flatMap((e) => {
      const p = statusOf.get(e.id)!;
      return protocolNotice(run.action, { id: e.id, code: p.code, clinicId: p.clinicId, reason: run.reason }) ?? [];
    });
    return { processed: ids.length, notices: await this.notices.forClinics(em, changes) };
  }

  /**
   * Queues one digest per clinic with a changed protocol (the outbox ignores one already there) and
   * closes the run, in one transaction; the mail jobs go after the commit.
   */
  private async finish(bulkId: string): Promise<{ run: BulkRun; digests: number }> {
    const ids = await writeTransaction(this.em, async (tx) => {
      const run = await tx.findOneOrFail(BulkRun, { id: bulkId });
      const clinics = await this.ledger.changedClinics(tx, bulkId);
      const outboxIds = await this.outbox.insertBulkDigests(
        tx,
        clinics.map((c) => ({ clinicId: c.id, runNumber: run.number, recipients: c.resultEmails })),
      );
      // A cancel that arrived after the last chunk stopped nothing: the run completed.
      const state = run.cancelled > 0 ? 'cancelled' : 'completed';
      await this.ledger.close(tx, bulkId, state);
      return outboxIds;
    });
    await this.outbox.send(ids);
    const run = await this.reload(bulkId);
    if (doneOf(run) !== run.total) this.log.warn(`bulk run ${bulkId} closed with ${doneOf(run)} of ${run.total} items accounted for`);
    return { run, digests: ids.length };
  }

  private result(run: BulkRun, digests: number): BulkRunResult {
    const { id, state, total, succeeded, skipped, failed, cancelled } = run;
    return { bulkId: id, state, total, succeeded, skipped, failed, cancelled, digests };
  }
}
