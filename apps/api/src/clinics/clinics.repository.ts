import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Clinic } from './clinic.entity';
import { executeUpdate } from '../database/database';

/**
 * The `clinics` table's SQL (and the one statement a language change makes on its work orders).
 * Writes run in the caller's `em`, inside its transaction with the audit entry.
 */
@Injectable()
export class ClinicsRepository {
  list(em: EntityManager, where: FilterQuery<Clinic>): Promise<Clinic[]> {
    return em.find(Clinic, where, { orderBy: { name: 'asc', id: 'asc' } });
  }

  byId(em: EntityManager, id: string): Promise<Clinic | null> {
    return em.findOne(Clinic, { id });
  }

  /** Whether another clinic has this name, ignoring case (two "Clínica Norte" would be one to a person). */
  async nameTaken(em: EntityManager, name: string, exceptId?: string): Promise<boolean> {
    const rows = await em
      .getConnection()
      .execute(`select id from clinics where lower(name) = lower(?)${exceptId ? ' and id <> ?' : ''} limit 1`, exceptId ? [name, exceptId] : [name], 'all', em.getTransactionContext());
    return rows.length > 0;
  }

  add(em: EntityManager, data: Pick<Clinic, 'name' | 'address' | 'phone' | 'resultEmails' | 'reportLanguage'>): Clinic {
    const clinic = em.create(Clinic, data);
    em.persist(clinic);
    return clinic;
  }

  /**
   * A new content version for every work order of the clinic: its PDFs are cached by version, so
   * the next open renders them anew (in the clinic's new language) and the old ones are swept.
   */
  async newWorkOrderVersions(em: EntityManager, clinicId: string): Promise<number> {
    const now = em.getPlatform().processDateProperty(new Date());
    return executeUpdate(
      em,
      `update work_orders set content_version = content_version + 1, updated_at = ?
        where protocol_id in (select id from protocols where clinic_id = ?)`,
      [now, clinicId],
    );
  }
}
