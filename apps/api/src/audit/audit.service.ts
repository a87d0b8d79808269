import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, AuditEntity, AuditEntryView, AuditListQuery, isId, LAB_RECORD_ENTITIES, Page, Role } from '@vetlab/shared';
import type { AuthUser } from '../auth/auth-user';
import { DomainError } from '../common/domain-error';
import { AuditLog } from './audit-log.entity';
import { AuditRepository, key, PANEL } from './audit.repository';
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';

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
  constructor(private readonly repo: AuditRepository) {}

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
    await this.repo.insert(
      em,
      entries.map((r) => ({ id: randomUUID(), actorId: r.actorId, at, entity: r.entity, entityId: r.entityId, action: r.action, before: r.before ?? null, after: r.after ?? null, jobId: r.jobId ?? null })),
    );
  }

  /**
   * The trail, newest first. Admins read every entry; staff only the lab's records (asking for another
   * kind is a 403; without a kind they get the lab's kinds only). A page costs one count, one page
   * query, one query for people's names and one per other kind of record on the page, counting the
   * records its entries point to (a protocol's clinic, vet and panels).
   */
  async list(user: AuthUser, query: AuditListQuery): Promise<Page<AuditEntryView>> {
    const { page, pageSize, ...filter } = query;
    const kinds = user.role === Role.Admin ? null : LAB_RECORD_ENTITIES;
    if (kinds && filter.entity && !kinds.includes(filter.entity)) {
      throw new DomainError('forbidden', `staff read the history of lab records only (${kinds.join(', ')})`);
    }
    const [entries, total] = await this.repo.page({ ...filter, kinds }, page, pageSize);
    const people = new Set<string>();
    const byKind = new Map<string, Set<string>>();
    const add = (kind: string, id: string) => {
      if (kind === AuditEntity.User) people.add(id);
      else byKind.set(kind, (byKind.get(kind) ?? new Set<string>()).add(id));
    };
    for (const e of entries) {
      if (e.actorId) people.add(e.actorId);
      add(e.entity, e.entityId);
      for (const [kind, id] of references(e)) add(kind, id);
    }
    const [names, records] = await Promise.all([
      this.repo.userNames([...people]),
      this.repo.recordNames(new Map([...byKind].map(([kind, ids]) => [kind, [...ids]]))),
    ]);
    const nameOf = (kind: string, id: string) => (kind === AuditEntity.User ? names.get(key(id)) : records.get(`${kind}:${key(id)}`)?.label) ?? null;
    return {
      items: entries.map((e) => {
        const record = e.entity === AuditEntity.User ? { label: nameOf(e.entity, e.entityId), protocolId: null } : records.get(`${e.entity}:${key(e.entityId)}`);
        return {
          id: e.id,
          at: e.at.toISOString(),
          // actorId is a plain column (entries outlive people), so names come from the lookup.
          actor: e.actorId ? { id: e.actorId, name: names.get(key(e.actorId)) ?? '(deleted user)' } : null,
          entity: e.entity,
          entityId: e.entityId,
          action: e.action,
          before: e.before,
          after: e.after,
          jobId: e.jobId,
          label: labelOf(e, record?.label ?? null),
          protocolId: record?.protocolId ?? null,
          names: namesOf(e, nameOf),
        };
      }),
      total,
      page,
      pageSize,
    };
  }
}

/** The fields of an entry's before and after that hold other records' ids (one or a list), with their kind. */
const REFERENCES: Readonly<Record<string, typeof AuditEntity.User | typeof AuditEntity.Clinic | typeof PANEL>> = {
  clinicId: AuditEntity.Clinic,
  vetId: AuditEntity.User,
  panelIds: PANEL,
};

/** The [kind, id] pairs an entry's fields point to; anything but an id in such a field is left alone. */
function references(e: Pick<AuditLog, 'before' | 'after'>): [string, string][] {
  const found: [string, string][] = [];
  for (const side of [e.before, e.after]) {
    if (!side) continue;
    for (const [field, kind] of Object.entries(REFERENCES)) {
      const value = side[field];
      for (const id of Array.isArray(value) ? value : [value]) if (isId(id)) found.push([kind, id]);
    }
  }
  return found;
}

/** The ids an entry's fields point to, with the names found for them (an id whose record is gone is left out). */
function namesOf(e: AuditLog, nameOf: (kind: string, id: string) => string | null): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [kind, id] of references(e)) {
    const name = nameOf(kind, id);
    if (name !== null) names[id] = name;
  }
  return names;
}

/** A report's entry names the version it is about ("P-2026-000123 v2"); a queue pause its queue; a backup its folder. */
function labelOf(e: AuditLog, label: string | null): string | null {
  const version = e.after?.versionNumber ?? e.before?.versionNumber;
  if (e.entity === AuditEntity.Report && label && typeof version === 'number') return `${label} v${version}`;
  if (e.entity === AuditEntity.Queue) return String(e.after?.queue ?? e.before?.queue ?? '') || null;
  if (e.entity === AuditEntity.Backup) return typeof e.after?.folder === 'string' ? basename(e.after.folder) : null;
  return label;
}
