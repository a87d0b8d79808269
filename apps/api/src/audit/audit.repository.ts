import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditEntity, AuditListQuery } from '@vetlab/shared';
import { insertValues, jsonParam } from '../database/database';
import { AuditLog } from './audit-log.entity';

/** The list's filters, with the entity kinds a caller may read (null: every kind). */
export type AuditFilter = Omit<AuditListQuery, 'page' | 'pageSize'> & { kinds: readonly AuditEntity[] | null };

/** What names a record: its label and, for the lab's records, the protocol whose page shows it. */
export interface RecordName {
  label: string | null;
  protocolId: string | null;
}

/**
 * The audit trail's reads, and its inserts as plain SQL (AuditService decides what to write). Every
 * filter is an equality on the head of one of the table's indexes followed by `at`, so a filtered page walks one index backwards from its
 * newest entry: (entity, entity_id, at), (actor_id, at), (action, at), and (at) for the rest.
 */
@Injectable()
export class AuditRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes the entries now, in the caller's transaction: plain statements with bound values, since
   * every finalize and every bulk chunk writes theirs, and through the ORM that cost the worker more
   * CPU than the insert itself.
   */
  async insert(em: EntityManager, entries: readonly AuditLog[]): Promise<void> {
    const platform = em.getPlatform();
    await insertValues(
      em,
      'audit_log',
      ['id', 'actor_id', 'at', 'entity', 'entity_id', 'action', '"before"', '"after"', 'job_id'],
      entries.map((e) => [e.id, e.actorId, platform.processDateProperty(e.at), e.entity, e.entityId, e.action, jsonParam(e.before), jsonParam(e.after), e.jobId]),
    );
  }

  /** One page, newest first, and how many match (one count and one page query). */
  async page(filter: AuditFilter, page: number, pageSize: number): Promise<[AuditLog[], number]> {
    const where: FilterQuery<AuditLog> & Record<string, unknown> = {};
    if (filter.entity) where.entity = filter.entity;
    else if (filter.kinds) where.entity = { $in: [...filter.kinds] };
    if (filter.entityId) where.entityId = filter.entityId;
    if (filter.actorId) where.actorId = filter.actorId;
    if (filter.action) where.action = filter.action;
    const at: Record<string, Date> = {};
    if (filter.from) at.$gte = new Date(filter.from);
    if (filter.to) at.$lt = new Date(filter.to);
    if (Object.keys(at).length) where.at = at;
    return this.em.fork().findAndCount(AuditLog, where, { orderBy: { at: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize });
  }

  /** Names of people by id, one query (the actors of a page and the people it is about). */
  async userNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.sql<{ id: string; name: string }>(`select id, name from users where id in`, ids);
    return new Map(rows.map((r) => [key(r.id), r.name]));
  }

  /**
   * Names of the other records of a page, one query per kind present: protocols, work orders and
   * reports by their protocol's code, clinics and panels by name, bulk runs by number. Keyed by `kind:id`.
   */
  async recordNames(byKind: ReadonlyMap<string, readonly string[]>): Promise<Map<string, RecordName>> {
    const names = new Map<string, RecordName>();
    const put = (kind: string, id: string, label: string | null, protocolId: string | null) => names.set(`${kind}:${key(id)}`, { label, protocolId });
    const ids = (kind: string) => byKind.get(kind) ?? [];
    for (const r of await this.sql<{ id: string; code: string }>('select id, code from protocols where id in', ids(AuditEntity.Protocol))) {
      put(AuditEntity.Protocol, r.id, r.code, r.id);
    }
    for (const table of ['work_orders', 'reports'] as const) {
      const kind = table === 'reports' ? AuditEntity.Report : AuditEntity.WorkOrder;
      const rows = await this.sql<{ id: string; protocol_id: string; code: string }>(`select s.id, p.id as protocol_id, p.code from ${table} s join protocols p on p.id = s.protocol_id where s.id in`,
        ids(kind),
      );
      for (const r of rows) put(kind, r.id, r.code, r.protocol_id);
    }
    for (const r of await this.sql<{ id: string; name: string }>('select id, name from clinics where id in', ids(AuditEntity.Clinic))) {
      put(AuditEntity.Clinic, r.id, r.name, null);
    }
    for (const r of await this.sql<{ id: string; name: string }>('select id, name from panels where id in', ids(PANEL))) {
      put(PANEL, r.id, r.name, null);
    }
    for (const r of await this.sql<{ id: string; number: number | string }>('select id, number from bulk_runs where id in', ids(AuditEntity.BulkRun))) {
      put(AuditEntity.BulkRun, r.id, `#${Number(r.number)}`, null);
    }
    return names;
  }

  /** `<select> (?, ?, …)` for a non-empty id list; nothing asked for an empty one. */
  private async sql<T>(select: string, ids: readonly string[]): Promise<T[]> {
    if (!ids.length) return [];
    return this.em.getConnection().execute(`${select} (${ids.map(() => '?').join(', ')})`, [...ids], 'all');
  }
}

/** Panels have no history of their own; entries point to them (a protocol's `panelIds`). */
export const PANEL = 'panel';

/** Ids compare in lower case (PostgreSQL returns uuids so; SQLite returns what was written). */
export const key = (id: string) => String(id).toLowerCase();
