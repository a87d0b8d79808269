import { Inject, Injectable } from '@nestjs/common';
import { WorkOrderPdfAccepted } from '@vetlab/shared';
import type { Readable } from 'node:stream';
import { AuthUser } from '../../auth/auth-user';
import { notFound } from '../../common/domain-error';
import { workOrderPdfFilename } from '../../pdf/work-order-labels';
import { canSeeClinic } from '../../protocols/protocol-access';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { HotFiles } from '../../storage/hot-files';
import { FastSql } from '../../database/fast-sql.service';
import { KeyLookup } from '../../database/key-lookup';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';

export type WorkOrderPdfAnswer =
  | { kind: 'file'; stream: Readable; size: number; etag: string; modifiedAt: Date; filename: string }
  | { kind: 'bytes'; bytes: Buffer; etag: string; modifiedAt: Date; filename: string }
  | { kind: 'not-modified'; etag: string; modifiedAt: Date | null }
  | { kind: 'rendering'; body: WorkOrderPdfAccepted };

/** The work order's current version and clinic, and that version's cached file, by primary key. */
interface OpenRow {
  key: string;
  version: number;
  clinic_id: string;
  code: string;
  storage_key: string | null;
  sha256: string | null;
}

const OPEN_SQL = (match: string) => `
  select w.id as key, w.content_version as version, p.clinic_id, p.code, f.storage_key, f.sha256
    from work_orders w join protocols p on p.id = w.protocol_id
    left join work_order_pdfs f on f.work_order_id = w.id and f.content_version = w.content_version
   where w.id ${match}`;

/**
 * Work-order PDF opens. The current content version's file is sent when it is stored (from memory
 * when it is among the most opened, else streamed); otherwise the caller gets the version's one
 * render job (202). A stored record whose file has vanished is rendered again, never a 500.
 */
@Injectable()
export class WorkOrderPdfService {
  private readonly rows: KeyLookup<OpenRow>;

  constructor(
    sql: FastSql,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly hot: HotFiles,
    private readonly renders: WorkOrderPdfJobsService,
  ) {
    this.rows = new KeyLookup(sql, OPEN_SQL);
  }

  async open(user: AuthUser, workOrderId: string, ifNoneMatch: string | undefined): Promise<WorkOrderPdfAnswer> {
    const row = await this.rows.get(workOrderId);
    // Another clinic's work order is "not found", exactly like a missing one.
    if (!row || !canSeeClinic(user, row.clinic_id)) throw notFound('work order');
    const version = Number(row.version);
    if (row.storage_key && row.sha256) {
      const etag = `"${row.sha256}"`;
      if (etagMatches(ifNoneMatch, etag)) return { kind: 'not-modified', etag, modifiedAt: null };
      const filename = workOrderPdfFilename(row.code, version);
      const hot = await this.hot.get(row.storage_key, row.sha256);
      if (hot) return { kind: 'bytes', bytes: hot.bytes, etag, modifiedAt: hot.modifiedAt, filename };
      const file = await this.storage.open(row.storage_key);
      if (file) return { kind: 'file', stream: file.stream, size: file.size, etag, modifiedAt: file.modifiedAt, filename };
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
