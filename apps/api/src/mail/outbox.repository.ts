import { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';

/** A row to insert; the rest of its columns start as a new mail's (pending, due now). */
export type NewOutboxRow = Pick<OutboxMessage, 'id' | 'kind' | 'subjectType' | 'subjectId' | 'version' | 'recipient' | 'messageId' | 'createdAt'>;

/** The attempt a sender holds: the row's `attempts` after its claim (every later write is conditional on it). */
export interface Claim {
  id: string;
  attempt: number;
}

/**
 * The one writer of the `outbox` table, and its one reader. The rules (what is due, how long to
 * wait, when to give up) are the services'; this class says them in SQL.
 */
@Injectable()
export class OutboxRepository {
  /** Inserts the rows; a row whose (kind, subject, version, recipient) is already there is ignored. */
  async insertIgnoringExisting(em: EntityManager, rows: NewOutboxRow[]): Promise<void> {
    if (!rows.length) return;
    await (em as SqlEntityManager)
      .createQueryBuilder(OutboxMessage)
      .insert(rows.map((r) => ({ ...r, status: OutboxStatus.Pending, attempts: 0, nextAttemptAt: r.createdAt })))
      .onConflict(['kind', 'subjectId', 'version', 'recipient'])
      .ignore()
      .execute();
  }

  /** Ids and statuses of a report version's mails. */
  ofReportVersion(em: EntityManager, reportId: string, version: number): Promise<Pick<OutboxMessage, 'id' | 'status'>[]> {
    return em.find(OutboxMessage, { kind: OutboxKind.ReportVersion, subjectId: reportId, version }, { fields: ['id', 'status'] });
  }

  /** Ids of the pending digests of these clinics in these runs (by run number). */
  async pendingDigests(em: EntityManager, runNumbers: number[], clinicIds?: string[]): Promise<string[]> {
    const where: FilterQuery<OutboxMessage> = { kind: OutboxKind.BulkDigest, version: { $in: runNumbers }, status: OutboxStatus.Pending };
    if (clinicIds) where.subjectId = { $in: clinicIds };
    return (await em.find(OutboxMessage, where, { fields: ['id'] })).map((r) => r.id);
  }

  findById(em: EntityManager, id: string): Promise<OutboxMessage | null> {
    return em.findOne(OutboxMessage, { id });
  }

  /** Every mail of a report, newest version first, then by recipient. */
  ofReport(em: EntityManager, reportId: string): Promise<OutboxMessage[]> {
    return em.find(OutboxMessage, { kind: OutboxKind.ReportVersion, subjectId: reportId }, { orderBy: { version: 'desc', recipient: 'asc' } });
  }

  /**
   * `pending → sending` (or a `sending` row whose lease ran out → `sending` again), only if nobody
   * claimed it since `seenAttempts` was read: one conditional UPDATE, so of two senders one wins.
   */
  async claim(em: EntityManager, id: string, seenAttempts: number, now: Date, leaseUntil: Date): Promise<Claim | null> {
    const claimable: FilterQuery<OutboxMessage> = {
      id,
      attempts: seenAttempts,
      $or: [
        { status: OutboxStatus.Pending, nextAttemptAt: { $lte: now } },
        { status: OutboxStatus.Sending, leaseUntil: { $lt: now } },
      ],
    };
    const attempt = seenAttempts + 1;
    const n = await em.nativeUpdate(OutboxMessage, claimable, { status: OutboxStatus.Sending, attempts: attempt, leaseUntil });
    return n === 1 ? { id, attempt } : null;
  }

  /** The outcome of a claimed attempt; ignored when the claim was taken over meanwhile. Returns whether it was recorded. */
  async markSent(em: EntityManager, c: Claim, at: Date): Promise<boolean> {
    return this.settle(em, c, { status: OutboxStatus.Sent, sentAt: at, lastError: null, leaseUntil: null });
  }

  async markRetry(em: EntityManager, c: Claim, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.settle(em, c, { status: OutboxStatus.Pending, nextAttemptAt, lastError: error, leaseUntil: null });
  }

  async markFailed(em: EntityManager, c: Claim, error: string): Promise<boolean> {
    return this.settle(em, c, { status: OutboxStatus.Failed, lastError: error, leaseUntil: null });
  }

  /**
   * A failed or pending mail is due now again, its give-up window restarting now; only if no sender
   * claimed it since `seenAttempts` was read. Returns whether it was.
   */
  async resend(em: EntityManager, id: string, seenAttempts: number, now: Date): Promise<boolean> {
    const n = await em.nativeUpdate(
      OutboxMessage,
      { id, attempts: seenAttempts, status: { $in: [OutboxStatus.Failed, OutboxStatus.Pending] } },
      { status: OutboxStatus.Pending, nextAttemptAt: now, resentAt: now, leaseUntil: null },
    );
    return n === 1;
  }

  /** Mails a sender should be working on now: pending and due, or claimed by a sender whose lease ran out. */
  async due(em: EntityManager, now: Date): Promise<string[]> {
    const rows = await em.find(
      OutboxMessage,
      {
        $or: [
          { status: OutboxStatus.Pending, nextAttemptAt: { $lte: now } },
          { status: OutboxStatus.Sending, leaseUntil: { $lt: now } },
        ],
      },
      { fields: ['id'] },
    );
    return rows.map((r) => r.id);
  }

  private async settle(em: EntityManager, c: Claim, changes: Partial<OutboxMessage>): Promise<boolean> {
    return (await em.nativeUpdate(OutboxMessage, { id: c.id, status: OutboxStatus.Sending, attempts: c.attempt }, changes)) === 1;
  }
}
