import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { randomUUID } from 'node:crypto';
import { WorkOrderPdf } from './work-order-pdf.entity';

/** A work order's current content version, its clinic and code, and that version's stored file. */
export interface CurrentPdfRow {
  id: string;
  version: number;
  clinicId: string;
  code: string;
  storageKey: string | null;
  sha256: string | null;
}

/** What a stored render records on its row. */
export interface StoredRender {
  storageKey: string;
  sha256: string;
  size: number;
  pages: number;
}

/**
 * The `work_order_pdfs` cache rows: the one writer of the table (render jobs claimed, each run's
 * token, the stored file, old versions swept) and the open route's lookup. A cached open is little
 * more than that lookup, and vets' opens come by the thousand: the lookups made in one turn of the
 * event loop are one query (dataloader), so a burst waits for one round trip, not for a queue of
 * them on the connection pool. Writes run in the caller's `em` (its transaction, when it has one).
 */
@Injectable()
export class WorkOrderPdfRepository {
  private readonly current = new DataLoader<string, CurrentPdfRow | undefined>((ids) => this.loadCurrent(ids), { cache: false });

  constructor(private readonly em: EntityManager) {}

  /** The current version and its file of one work order (undefined when there is none). */
  currentOf(workOrderId: string): Promise<CurrentPdfRow | undefined> {
    return this.current.load(workOrderId.toLowerCase());
  }

  /** The row of a version not rendered before, with its job; throws UniqueConstraintViolationException when another caller inserted it first. */
  async insert(em: EntityManager, workOrderId: string, version: number, jobId: string): Promise<void> {
    await em.insert(WorkOrderPdf, { id: randomUUID(), workOrder: workOrderId, contentVersion: version, jobId, createdAt: new Date() });
  }

  /**
   * Gives the row to a new job, only if it still has `fromJobId` (false when another caller took it
   * first) and, unless this is a re-render, still has no stored file: a caller that read the row
   * just before its job stored the file, and the job just after it finished, must not render the
   * version again. A re-render also forgets the stored file, which has gone missing.
   */
  async claimForJob(em: EntityManager, rowId: string, fromJobId: string | null, jobId: string, rerender: boolean): Promise<boolean> {
    const forget = rerender ? { storageKey: null, sha256: null, size: null, pages: null, renderedAt: null } : {};
    const where = rerender ? { id: rowId, jobId: fromJobId } : { id: rowId, jobId: fromJobId, storageKey: null };
    return (await em.nativeUpdate(WorkOrderPdf, where, { jobId, ...forget })) === 1;
  }

  /** A run of the row's job starts with a fresh token; null when the row belongs to no such job (any more). */
  async startRun(em: EntityManager, workOrderId: string, version: number, jobId: string): Promise<{ row: WorkOrderPdf; token: string } | null> {
    const token = randomUUID();
    const where = { workOrder: workOrderId, contentVersion: version, jobId };
    if (!(await em.nativeUpdate(WorkOrderPdf, where, { runToken: token }))) return null;
    const row = await em.findOne(WorkOrderPdf, where, { refresh: true });
    return row && { row, token };
  }

  /** Whether the run with this token still holds the row (no newer run has started). */
  async holdsRun(em: EntityManager, rowId: string, token: string): Promise<boolean> {
    // SQL, not em.count: that would first flush whatever the caller changed on its loaded entities.
    const rows = await em.getConnection().execute('select 1 from work_order_pdfs where id = ? and run_token = ?', [rowId, token], 'all', em.getTransactionContext());
    return rows.length === 1;
  }

  /** Records the stored file, only for the run holding the row; false when a newer run does. */
  async recordStored(em: EntityManager, rowId: string, token: string, stored: StoredRender): Promise<boolean> {
    return (await em.nativeUpdate(WorkOrderPdf, { id: rowId, runToken: token }, { ...stored, renderedAt: new Date() })) === 1;
  }

  /** Up to `limit` rows of versions older than their work order's current one, unedited since `cutoff`. */
  async oldVersions(em: EntityManager, cutoff: Date, limit: number): Promise<Pick<WorkOrderPdf, 'id' | 'storageKey'>[]> {
    return (em as SqlEntityManager)
      .createQueryBuilder(WorkOrderPdf, 'f')
      .select(['f.id', 'f.storageKey'])
      .join('f.workOrder', 'w')
      .where({ 'w.updatedAt': { $lt: cutoff } })
      .andWhere('f.content_version < w.content_version')
      .limit(limit)
      .getResultList();
  }

  async remove(em: EntityManager, rowIds: string[]): Promise<void> {
    await em.nativeDelete(WorkOrderPdf, { id: { $in: rowIds } });
  }

  private async loadCurrent(ids: readonly string[]): Promise<(CurrentPdfRow | undefined)[]> {
    const rows: Record<string, unknown>[] = await this.em.getConnection().execute(
      `select w.id, w.content_version, p.clinic_id, p.code, f.storage_key, f.sha256
         from work_orders w join protocols p on p.id = w.protocol_id
         left join work_order_pdfs f on f.work_order_id = w.id and f.content_version = w.content_version
        where w.id in (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
    const byId = new Map(
      rows.map((r): [string, CurrentPdfRow] => [
        String(r.id).toLowerCase(),
        { id: String(r.id), version: Number(r.content_version), clinicId: String(r.clinic_id), code: String(r.code), storageKey: (r.storage_key as string) ?? null, sha256: (r.sha256 as string) ?? null },
      ]),
    );
    return ids.map((id) => byId.get(id));
  }
}
