import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEntryView, AuditListQuery, Page } from '@vetlab/shared';
import { User } from '../users/user.entity';
import { AuditLog } from './audit-log.entity';
import { randomUUID } from 'node:crypto';

export interface AuditRecord {
  /** Null for the system. */
  actorId: string | null;
  entity: string;
  entityId: string;
  action: AuditAction;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  jobId?: string | null;
}

@Injectable()
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Adds the entry to the caller's unit of work, so it commits (or rolls back) together with the
   * change it describes. The caller flushes.
   */
  record(em: EntityManager, r: AuditRecord): AuditLog {
    const entry = em.create(AuditLog, {
      actorId: r.actorId,
      entity: r.entity,
      entityId: r.entityId,
      action: r.action,
      before: r.before ?? null,
      after: r.after ?? null,
      jobId: r.jobId ?? null,
    });
    em.persist(entry);
    return entry;
  }

  /** Many entries at once, written now in the caller's transaction (a bulk chunk's changes). */
  async recordMany(em: EntityManager, entries: AuditRecord[], at = new Date()): Promise<void> {
    if (!entries.length) return;
    await em.insertMany(
      AuditLog,
      entries.map((r) => ({ id: randomUUID(), actorId: r.actorId, at, entity: r.entity, entityId: r.entityId, action: r.action, before: r.before ?? null, after: r.after ?? null, jobId: r.jobId ?? null })),
    );
  }

  async list(query: AuditListQuery): Promise<Page<AuditEntryView>> {
    const where: FilterQuery<AuditLog> = {};
    if (query.entity) where.entity = query.entity;
    if (query.entityId) where.entityId = query.entityId;
    const [entries, total] = await this.em.findAndCount(AuditLog, where, {
      orderBy: { at: 'desc', id: 'asc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    // actorId is a plain column (entries outlive users), so names come from one extra lookup.
    const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is string => id != null))];
    const actors = actorIds.length ? await this.em.find(User, { id: { $in: actorIds } }, { fields: ['id', 'name'] }) : [];
    const names = new Map(actors.map((u) => [u.id, u.name]));
    return {
      items: entries.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actorId ? { id: e.actorId, name: names.get(e.actorId) ?? '(deleted user)' } : null,
        entity: e.entity,
        entityId: e.entityId,
        action: e.action,
        before: e.before,
        after: e.after,
        jobId: e.jobId,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
