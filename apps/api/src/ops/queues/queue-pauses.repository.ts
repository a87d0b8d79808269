import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { QueueName } from '@vetlab/shared';
import { PauseEnd, QueuePauseRow } from './queue-pause.entity';

/** A new pause: everything but the ending. */
export type NewPause = Pick<QueuePauseRow, 'queue' | 'reason' | 'pausedById' | 'pausedAt' | 'expiresAt'>;

/** The one writer of `queue_pauses`, and its reader. */
@Injectable()
export class QueuePausesRepository {
  /** Every open pause, by queue name. */
  open(em: EntityManager): Promise<QueuePauseRow[]> {
    return em.find(QueuePauseRow, { openQueue: { $ne: null } }, { orderBy: { queue: 'asc' } });
  }

  openOf(em: EntityManager, queue: QueueName): Promise<QueuePauseRow | null> {
    return em.findOne(QueuePauseRow, { openQueue: queue });
  }

  /** Open pauses whose expiry has passed at `now`. */
  expired(em: EntityManager, now: Date): Promise<QueuePauseRow[]> {
    return em.find(QueuePauseRow, { openQueue: { $ne: null }, expiresAt: { $lte: now } });
  }

  /**
   * Inserts an open pause now (in the caller's transaction); null when the queue already has one
   * (the unique open_queue refused it; on PostgreSQL that transaction can only roll back).
   */
  async insertOpen(em: EntityManager, p: NewPause): Promise<QueuePauseRow | null> {
    const row = Object.assign(new QueuePauseRow(), p, { openQueue: p.queue });
    try {
      await em.insert(QueuePauseRow, { id: row.id, queue: p.queue, openQueue: p.queue, reason: p.reason, pausedById: p.pausedById, pausedAt: p.pausedAt, expiresAt: p.expiresAt });
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) return null;
      throw e;
    }
    return row;
  }

  /** Ends the pause if it is still open: one conditional UPDATE, so of two enders (an admin, an expiry) one wins. */
  async end(em: EntityManager, id: string, at: Date, by: string | null, endedBy: PauseEnd): Promise<boolean> {
    const n = await em.nativeUpdate(QueuePauseRow, { id, resumedAt: null }, { resumedAt: at, resumedById: by, endedBy, openQueue: null });
    return n === 1;
  }

  /** Tests: moves an open pause's expiry. */
  async setExpiry(em: EntityManager, queue: QueueName, expiresAt: Date): Promise<void> {
    await em.nativeUpdate(QueuePauseRow, { openQueue: queue }, { expiresAt });
  }
}
