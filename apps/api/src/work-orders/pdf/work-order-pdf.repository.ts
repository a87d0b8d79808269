import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';

/** A work order's current content version, its clinic and code, and that version's stored file. */
export interface CurrentPdfRow {
  id: string;
  version: number;
  clinicId: string;
  code: string;
  storageKey: string | null;
  sha256: string | null;
}

/**
 * The `work_order_pdfs` cache rows as the open route reads them. A cached open is little more than
 * this lookup, and vets' opens come by the thousand: the lookups made in one turn of the event
 * loop are one query (dataloader), so a burst waits for one round trip, not for a queue of them
 * on the connection pool.
 */
@Injectable()
export class WorkOrderPdfRepository {
  private readonly current = new DataLoader<string, CurrentPdfRow | undefined>((ids) => this.loadCurrent(ids), { cache: false });

  constructor(private readonly em: EntityManager) {}

  /** The current version and its file of one work order (undefined when there is none). */
  currentOf(workOrderId: string): Promise<CurrentPdfRow | undefined> {
    return this.current.load(workOrderId.toLowerCase());
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
