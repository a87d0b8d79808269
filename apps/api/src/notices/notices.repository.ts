import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { insertValues, selectRows } from '../database/database';
import { Notice } from './notice.entity';

/** A notice to write: every column of a new, unread one. */
export type NewNotice = Omit<Notice, 'readAt'>;

/** Lower case, as PostgreSQL hands a uuid back: ids compare whatever the driver. */
const key = (id: string) => id.toLowerCase();

/**
 * The writes of `notices` as plain SQL with bound values: they run inside the transactions of a
 * finalize and of every bulk chunk, where building them through the ORM cost the worker more CPU
 * than running them. NoticesService decides what to write and is their one caller.
 */
@Injectable()
export class NoticesRepository {
  /** The active vets of these clinics, by clinic id (lower case). */
  async activeVetsByClinic(em: EntityManager, clinicIds: readonly string[]): Promise<Map<string, string[]>> {
    const byClinic = new Map<string, string[]>();
    if (!clinicIds.length) return byClinic;
    const rows = await selectRows<{ id: string; clinic_id: string }>(
      em,
      `select id, clinic_id from users where role = ? and active = ? and clinic_id in (${clinicIds.map(() => '?').join(', ')})`,
      [Role.Vet, true, ...clinicIds],
    );
    for (const r of rows) byClinic.set(key(r.clinic_id), [...(byClinic.get(key(r.clinic_id)) ?? []), r.id]);
    return byClinic;
  }

  /**
   * Inserts the notices in the caller's transaction; one whose (user, dedupe key) is there already
   * is skipped, the older row kept. Returns the ones written (INSERT … RETURNING, which both
   * databases answer with the inserted rows only).
   */
  async insertNew(em: EntityManager, notices: readonly NewNotice[]): Promise<NewNotice[]> {
    const platform = em.getPlatform();
    const inserted = await insertValues<{ id: string }>(
      em,
      'notices',
      ['id', 'user_id', 'kind', 'protocol_id', 'protocol_code', 'report_id', 'version_number', 'reason', 'dedupe_key', 'created_at'],
      notices.map((n) => [n.id, n.userId, n.kind, n.protocolId, n.protocolCode, n.reportId, n.versionNumber, n.reason, n.dedupeKey, platform.processDateProperty(n.createdAt)]),
      { onConflict: '(user_id, dedupe_key) do nothing', returning: 'id' },
    );
    const ids = new Set(inserted.map((r) => key(r.id)));
    return notices.filter((n) => ids.has(key(n.id)));
  }
}
