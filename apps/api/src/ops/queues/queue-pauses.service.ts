import { EntityManager } from '@mikro-orm/core';
import { Injectable, Logger } from '@nestjs/common';
import { AuditAction, ConflictCode, PauseQueueRequest, QueueName, QueuePause, values } from '@vetlab/shared';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, queueUnavailable } from '../../common/domain-error';
import { audience } from '../../realtime/event-audience';
import { RealtimeService } from '../../realtime/realtime.service';
import { User } from '../../users/user.entity';
import { PauseEnd, QueuePauseRow } from './queue-pause.entity';
import { QueuePausesRepository } from './queue-pauses.repository';
import { QueueProbe } from './queue-probe';

/** The audit trail's entity for pauses (its entity id is the pause row's id: audit ids are uuids). */
export const PAUSE_AUDIT_ENTITY = 'queue';

/** Told whenever a pause starts or ends (the overview drops its cached copy). */
export type PausesChanged = () => void;

/**
 * Pausing and resuming queues. The `queue_pauses` table is the truth; Bull's global pause flag
 * follows it (set right after the change commits, and by `reconcile` on every process every
 * OPS_PAUSE_CHECK_MS, should Redis have lost or kept a flag). Every start and end is audited in the
 * transaction that makes it, and announced to admins (`ops:pauses`).
 */
@Injectable()
export class QueuePauses {
  private readonly log = new Logger(QueuePauses.name);
  private readonly listeners: PausesChanged[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly repo: QueuePausesRepository,
    private readonly audit: AuditService,
    private readonly probe: QueueProbe,
    private readonly realtime: RealtimeService,
  ) {}

  onChange(listener: PausesChanged): void {
    this.listeners.push(listener);
  }

  /** Every queue paused now, by queue name. */
  async list(): Promise<QueuePause[]> {
    const em = this.em.fork();
    return this.views(em, await this.repo.open(em));
  }

  /** 409 QUEUE_ALREADY_PAUSED when it is paused; 503 when Redis is away (workers must be told now, not later). */
  async pause(user: AuthUser, queue: QueueName, req: Required<PauseQueueRequest>): Promise<QueuePause> {
    if (!this.probe.ready()) throw queueUnavailable();
    const pausedAt = new Date();
    const expiresAt = new Date(pausedAt.getTime() + req.minutes * 60_000);
    const row = await this.em.fork().transactional(async (em) => {
      const row = await this.repo.insertOpen(em, { queue, reason: req.reason, pausedById: user.id, pausedAt, expiresAt });
      if (!row) throw conflict(`queue ${queue} is already paused; resume it first`, ConflictCode.QueueAlreadyPaused);
      this.audit.record(em, { actorId: user.id, entity: PAUSE_AUDIT_ENTITY, entityId: row.id, action: AuditAction.QueuePause, after: { queue, reason: req.reason, expiresAt: expiresAt.toISOString() } });
      return row;
    });
    await this.flag(queue, true);
    await this.changed();
    return view(row, { id: user.id, name: user.name });
  }

  /** 409 QUEUE_NOT_PAUSED unless it is paused. Works with Redis away: the flag follows when it is back. */
  async resume(user: AuthUser, queue: QueueName): Promise<void> {
    const ended = await this.em.fork().transactional(async (em) => {
      const row = await this.repo.openOf(em, queue);
      if (!row || !(await this.repo.end(em, row.id, new Date(), user.id, PauseEnd.Admin))) throw conflict(`queue ${queue} is not paused`, ConflictCode.QueueNotPaused);
      this.audit.record(em, { actorId: user.id, entity: PAUSE_AUDIT_ENTITY, entityId: row.id, action: AuditAction.QueueResume, before: { queue, reason: row.reason }, after: { endedBy: PauseEnd.Admin } });
      return row;
    });
    await this.flag(ended.queue, false);
    await this.changed();
  }

  /**
   * Ends every pause whose expiry passed. Any process may run it at the same time: the conditional
   * end lets one win, so there is one audit entry ("resumed: expired", no actor). Returns how many it ended.
   */
  async expire(now = new Date()): Promise<number> {
    const em = this.em.fork();
    let ended = 0;
    for (const row of await this.repo.expired(em, now)) {
      const won = await em.fork().transactional(async (tx) => {
        if (!(await this.repo.end(tx, row.id, now, null, PauseEnd.Expired))) return false;
        this.audit.record(tx, { actorId: null, entity: PAUSE_AUDIT_ENTITY, entityId: row.id, action: AuditAction.QueueResume, before: { queue: row.queue, reason: row.reason }, after: { endedBy: PauseEnd.Expired } });
        return true;
      });
      if (!won) continue;
      ended++;
      this.log.log(`queue ${row.queue}: pause expired, resumed`);
      await this.flag(row.queue, false);
    }
    if (ended) await this.changed();
    return ended;
  }

  /**
   * Makes Bull's flags agree with the table: a queue the table says is paused is paused in Redis
   * again (Redis restarted or was flushed), one it says runs is resumed. Redis is read first, so
   * that a pause or resume committed meanwhile is what the table then says. Returns the queues it fixed.
   */
  async reconcile(): Promise<QueueName[]> {
    if (!this.probe.ready()) return [];
    const flagged = await this.probe.pausedFlags();
    const open = new Set((await this.repo.open(this.em.fork())).map((r) => r.queue));
    const fixed: QueueName[] = [];
    for (const q of values(QueueName)) {
      if (open.has(q) === flagged.has(q)) continue;
      this.log.warn(`queue ${q}: Redis says ${flagged.has(q) ? 'paused' : 'running'}, the pauses table says ${open.has(q) ? 'paused' : 'running'}; following the table`);
      await (open.has(q) ? this.probe.pause(q) : this.probe.resume(q));
      fixed.push(q);
    }
    return fixed;
  }

  /** After the commit: Bull's flag. A failure is only logged; the next reconcile sets it. */
  private async flag(queue: QueueName, paused: boolean) {
    try {
      await (paused ? this.probe.pause(queue) : this.probe.resume(queue));
    } catch (e) {
      this.log.warn(`queue ${queue}: Redis not ${paused ? 'paused' : 'resumed'} now (${(e as Error).message}); the pause check will do it`);
    }
  }

  private async changed() {
    for (const l of this.listeners) l();
    try {
      this.realtime.emit(audience('ops:pauses', {}), 'ops:pauses', { pauses: await this.list() });
    } catch (e) {
      this.log.warn(`ops:pauses not sent: ${(e as Error).message}`);
    }
  }

  /** Rows as the console shows them, with the pausing admins' names (one lookup). */
  async views(em: EntityManager, rows: QueuePauseRow[]): Promise<QueuePause[]> {
    const ids = [...new Set(rows.map((r) => r.pausedById).filter((id): id is string => id != null))];
    const users = ids.length ? await em.find(User, { id: { $in: ids } }, { fields: ['id', 'name'] }) : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    return rows.map((r) => view(r, r.pausedById ? { id: r.pausedById, name: names.get(r.pausedById) ?? '(deleted user)' } : null));
  }
}

function view(r: QueuePauseRow, pausedBy: QueuePause['pausedBy']): QueuePause {
  return { queue: r.queue, reason: r.reason, pausedBy, pausedAt: r.pausedAt.toISOString(), expiresAt: r.expiresAt.toISOString() };
}
