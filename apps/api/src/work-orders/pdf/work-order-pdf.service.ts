import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { WorkOrderPdfAccepted } from '@vetlab/shared';
import type { Readable } from 'node:stream';
import { AuthUser } from '../../auth/auth-user';
import { notFound } from '../../common/domain-error';
import { workOrderPdfFilename } from '../../pdf/work-order-labels';
import { canSeeClinic } from '../../protocols/protocol-access';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';

export type WorkOrderPdfAnswer =
  | { kind: 'file'; stream: Readable; size: number; etag: string; modifiedAt: Date; filename: string }
  | { kind: 'not-modified'; etag: string; modifiedAt: Date | null }
  | { kind: 'rendering'; body: WorkOrderPdfAccepted };

/** What the hit path needs, in one indexed query: the current version, who may see it, its file. */
interface CacheRow {
  version: number;
  clinic_id: string;
  code: string;
  storage_key: string | null;
  sha256: string | null;
}

/**
 * Work-order PDF opens. The current content version's file is streamed when it is stored (one
 * primary-key lookup that joins its cache row); otherwise the caller gets the version's one render
 * job (202). A stored record whose file has vanished is rendered again, never a 500.
 */
@Injectable()
export class WorkOrderPdfService {
  private readonly sql: string;

  constructor(
    private readonly em: EntityManager,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly renders: WorkOrderPdfJobsService,
  ) {
    this.sql =
      'select w.content_version as version, p.clinic_id, p.code, f.storage_key, f.sha256 from work_orders w ' +
      'join protocols p on p.id = w.protocol_id ' +
      'left join work_order_pdfs f on f.work_order_id = w.id and f.content_version = w.content_version ' +
      'where w.id = ?';
  }

  async open(user: AuthUser, workOrderId: string, ifNoneMatch: string | undefined): Promise<WorkOrderPdfAnswer> {
    const row = (await this.em.getConnection().execute<CacheRow[]>(this.sql, [workOrderId]))[0];
    // Another clinic's work order is "not found", exactly like a missing one.
    if (!row || !canSeeClinic(user, row.clinic_id)) throw notFound('work order');
    const version = Number(row.version);
    if (row.storage_key && row.sha256) {
      const etag = `"${row.sha256}"`;
      if (etagMatches(ifNoneMatch, etag)) return { kind: 'not-modified', etag, modifiedAt: null };
      const file = await this.storage.open(row.storage_key);
      if (file) return { kind: 'file', stream: file.stream, size: file.size, etag, modifiedAt: file.modifiedAt, filename: workOrderPdfFilename(row.code, version) };
    }
    const job = await this.renders.ensure({ workOrderId, version, requestedBy: user.id, rerender: !!row.storage_key });
    if (!job) return this.open(user, workOrderId, ifNoneMatch); // rendered meanwhile
    return { kind: 'rendering', body: { jobId: job.id, kind: job.kind, state: job.state, workOrderId } };
  }
}

/** `If-None-Match` may list several tags, weak ones too, or `*`. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
