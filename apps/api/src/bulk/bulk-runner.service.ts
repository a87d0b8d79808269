import { EntityManager, raw } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, BulkItemStatus, BulkRunResult, checkAction, ProtocolAction, ProtocolStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { writeTransaction } from '../database/database';
import { JobContext } from '../jobs/jobs.service';
import { PermanentJobError } from '../jobs/permanent-job-error';
import { OutboxKind, OutboxMessage, OutboxStatus } from '../mail/outbox.entity';
import { OutboxService } from '../mail/outbox.service';
import { Protocol } from '../protocols/protocol.entity';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { BulkItem } from './bulk-item.entity';
import { doneOf, ProgressThrottle, progressEvent } from './bulk-progress';
import { BulkRun } from './bulk-run.entity';
import { isRunOver } from './bulk-views';

/** Attempts of one chunk's transaction before the job itself fails (and Bull retries it later). */
const CHUNK_ATTEMPTS = 3;
const CANCELLED_REASON = 'cancelled before it was processed';
const NOT_FOUND_REASON = 'protocol not found';

interface Outcome {
  status: BulkItemStatus;
  reason: string | null;
}

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
    private readonly realtime: RealtimeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(bulkId: string, ctx: JobContext): Promise<BulkRunResult> {
    const em = this.em.fork();
    const run = await em.findOne(BulkRun, { id: bulkId });
    if (!run) throw new PermanentJobError(`bulk run ${bulkId} does not exist`);
    if (isRunOver(run.state)) {
      // Closed by an attempt that died before it handed the digests to the mail queue.
      const pending = await em.find(OutboxMessage, { kind: OutboxKind.BulkDigest, version: run.number, status: OutboxStatus.Pending }, { fields: ['id'] });
      await this.outbox.send(pending.map((m) => m.id));
      return this.result(run, pending.length);
    }
    if (run.state === 'queued' || !run.startedAt) {
      await em.nativeUpdate(BulkRun, { id: bulkId }, { state: 'running', startedAt: run.startedAt ?? new Date() });
    }
    await writeTransaction(this.em, (tx) => this.writeLedger(tx as SqlEntityManager, bulkId));
    const throttle = new ProgressThrottle();
    for (;;) {
      const current = await this.reload(bulkId);
      if (current.cancelRequested) {
        await writeTransaction(this.em, (tx) => this.cancelPending(tx as SqlEntityManager, current));
        break;
      }
      const processed = await this.chunkWithRetry(current, ctx.jobId);
      if (!processed) break;
      if (throttle.take()) await this.progress(ctx, await this.reload(bulkId));
    }
    const { run: finished, digests } = await this.finish(bulkId);
    await this.progress(ctx, finished);
    this.realtime.emit(audience('bulk:completed', {}), 'bulk:completed', { ...progressEvent(finished), etaSeconds: null, cancelled: finished.cancelled });
    return this.result(finished, digests);
  }

  /** Marks a run failed for good (its job ran out of attempts); pending items stay pending for a retry. */
  async markFailed(em: EntityManager, bulkId: string): Promise<void> {
    await em.nativeUpdate(BulkRun, { id: bulkId, state: { $in: ['queued', 'running'] } }, { state: 'failed', finishedAt: new Date() });
  }

  private reload(bulkId: string): Promise<BulkRun> {
    return this.em.fork().findOneOrFail(BulkRun, { id: bulkId });
  }

  private async progress(ctx: JobContext, run: BulkRun) {
    const event = progressEvent(run);
    this.realtime.emit(audience('bulk:progress', {}), 'bulk:progress', event);
    await ctx.stage('processing', run.total ? Math.floor((100 * event.done) / run.total) : 100);
  }

  /**
   * The ids the request stored on the run become ledger rows, in request order, with one
   * INSERT … SELECT over the stored JSON; the same transaction clears them, so this happens once.
   */
  private async writeLedger(em: SqlEntityManager, bulkId: string) {
    const conn = em.getConnection();
    const tx = em.getTransactionContext();
    const rows =
      this.config.database.driver === 'postgresql'
        ? `select r.id, x.id::uuid, x.ord - 1, 'pending', 0 from bulk_runs r
           cross join lateral jsonb_array_elements_text(r.pending_ids::jsonb) with ordinality as x(id, ord)
           where r.id = ? and r.pending_ids is not null`
        : `select r.id, j.value, j.key, 'pending', 0 from bulk_runs r, json_each(r.pending_ids) j where r.id = ? and r.pending_ids is not null`;
    await conn.execute(`insert into bulk_items (run_id, protocol_id, position, status, attempts) ${rows}`, [bulkId], 'run', tx);
    await conn.execute('update bulk_runs set pending_ids = null where id = ? and pending_ids is not null', [bulkId], 'run', tx);
  }

  /** A transient error (a lock, a lost connection, a race) retries the chunk; the ledger makes that safe. */
  private async chunkWithRetry(run: BulkRun, jobId: string): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(this.em, (tx) => this.chunk(tx as SqlEntityManager, run, jobId));
      } catch (e) {
        if (attempt >= CHUNK_ATTEMPTS) throw e;
        this.log.warn(`bulk run ${run.id}: chunk attempt ${attempt} failed (${(e as Error).message}); trying again`);
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  private async chunk(em: SqlEntityManager, run: BulkRun, jobId: string): Promise<number> {
    const conn = em.getConnection();
    const tx = em.getTransactionContext();
    const items = await conn.execute<{ protocol_id: string; position: number }[]>(
      `select protocol_id, position from bulk_items where run_id = ? and status = 'pending' order by position limit ?`,
      [run.id, this.config.bulk.chunkSize],
      'all',
      tx,
    );
    if (!items.length) return 0;
    const ids = items.map((i) => i.protocol_id);
    const positionOf = new Map(items.map((i) => [i.protocol_id, Number(i.position)]));
    const lock = this.config.database.driver === 'postgresql' ? ' for update' : '';
    const found = await conn.execute<{ id: string; status: ProtocolStatus }[]>(
      `select id, status from protocols where id in (${ids.map(() => '?').join(', ')})${lock}`,
      ids,
      'all',
      tx,
    );
    const statusOf = new Map(found.map((p) => [p.id, p.status]));

    const outcomes = new Map<string, Outcome>();
    const eligible: { id: string; from: ProtocolStatus }[] = [];
    for (const id of ids) {
      const from = statusOf.get(id);
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
      const changes: Record<string, unknown> = { status: run.target, version: raw('version + 1'), updatedAt: now };
      if (run.action === ProtocolAction.Receive) Object.assign(changes, { receivedAt: now, receivedBy: run.createdById });
      if (run.action === ProtocolAction.Reject) changes.rejectionReason = run.reason;
      const froms = [...new Set(eligible.map((e) => e.from))];
      const updated = await em.nativeUpdate(Protocol, { id: { $in: eligible.map((e) => e.id) }, status: { $in: froms } }, changes);
      if (updated !== eligible.length) throw new ChunkRaceError(`${eligible.length - updated} protocol(s) changed while the chunk ran`);
      const after: Record<string, unknown> = { status: run.target };
      if (run.action === ProtocolAction.Reject) after.rejectionReason = run.reason;
      await em.insertMany(
        AuditLog,
        eligible.map((e) => ({
          id: randomUUID(),
          actorId: run.createdById,
          at: now,
          entity: 'protocol',
          entityId: e.id,
          action: AuditAction.StatusChange,
          before: { status: e.from },
          after,
          jobId,
        })),
      );
      for (const e of eligible) outcomes.set(e.id, { status: 'succeeded', reason: null });
    }

    await this.recordOutcomes(em, run.id, outcomes, positionOf);
    const count = (s: BulkItemStatus) => [...outcomes.values()].filter((o) => o.status === s).length;
    await conn.execute(
      'update bulk_runs set succeeded = succeeded + ?, skipped = skipped + ?, failed = failed + ? where id = ?',
      [count('succeeded'), count('skipped'), count('failed'), run.id],
      'run',
      tx,
    );
    return ids.length;
  }

  /** One UPDATE per distinct outcome (a handful per chunk), not one per item. */
  private async recordOutcomes(em: SqlEntityManager, runId: string, outcomes: Map<string, Outcome>, positionOf: Map<string, number>) {
    const groups = new Map<string, { outcome: Outcome; positions: number[] }>();
    for (const [id, o] of outcomes) {
      const key = `${o.status}\u0000${o.reason ?? ''}`;
      const g = groups.get(key) ?? { outcome: o, positions: [] };
      g.positions.push(positionOf.get(id)!);
      groups.set(key, g);
    }
    const now = new Date();
    for (const { outcome, positions } of groups.values()) {
      await em.nativeUpdate(
        BulkItem,
        { runId, position: { $in: positions }, status: 'pending' },
        { status: outcome.status, reason: outcome.reason, attempts: raw('attempts + 1'), processedAt: now },
      );
    }
  }

  private async cancelPending(em: SqlEntityManager, run: BulkRun) {
    const n = await em.nativeUpdate(BulkItem, { runId: run.id, status: 'pending' }, { status: 'cancelled', reason: CANCELLED_REASON, processedAt: new Date() });
    if (n) await em.getConnection().execute('update bulk_runs set cancelled = cancelled + ? where id = ?', [n, run.id], 'run', em.getTransactionContext());
  }

  /**
   * Queues one digest per clinic with a changed protocol (the outbox ignores one already there) and
   * closes the run, in one transaction; the mail jobs go after the commit.
   */
  private async finish(bulkId: string): Promise<{ run: BulkRun; digests: number }> {
    const ids = await writeTransaction(this.em, async (tx) => {
      const run = await tx.findOneOrFail(BulkRun, { id: bulkId });
      const clinics: { id: string; result_emails: string | string[] }[] = await tx.getConnection().execute(
        `select c.id, c.result_emails from clinics c where c.id in (
           select p.clinic_id from bulk_items i join protocols p on p.id = i.protocol_id where i.run_id = ? and i.status = 'succeeded')`,
        [bulkId],
        'all',
        tx.getTransactionContext(),
      );
      const outboxIds = await this.outbox.insertBulkDigests(
        tx,
        clinics.map((c) => ({ clinicId: c.id, runNumber: run.number, recipients: typeof c.result_emails === 'string' ? (JSON.parse(c.result_emails) as string[]) : c.result_emails })),
      );
      // A cancel that arrived after the last chunk stopped nothing: the run completed.
      const state = run.cancelled > 0 ? 'cancelled' : 'completed';
      await tx.nativeUpdate(BulkRun, { id: bulkId }, { state, finishedAt: new Date() });
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
