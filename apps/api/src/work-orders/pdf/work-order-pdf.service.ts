import { Inject, Injectable } from '@nestjs/common';
import { WorkOrderPdfAccepted } from '@vetlab/shared';
import type { Readable } from 'node:stream';
import { Role } from '@vetlab/shared';
import { AuthUser } from '../../auth/auth-user';
import { TokenService } from '../../auth/token.service';
import { DomainError, notFound } from '../../common/domain-error';
import { workOrderPdfFilename } from '../../pdf/work-order-labels';
import { canSeeClinic } from '../../protocols/protocol-access';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { HotFiles } from '../../storage/hot-files';
import { FastSql } from '../../database/fast-sql.service';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';

export type WorkOrderPdfAnswer =
  | { kind: 'file'; stream: Readable; size: number; etag: string; modifiedAt: Date; filename: string }
  | { kind: 'bytes'; bytes: Buffer; etag: string; modifiedAt: Date; filename: string }
  | { kind: 'not-modified'; etag: string; modifiedAt: Date | null }
  | { kind: 'rendering'; body: WorkOrderPdfAccepted };

/**
 * What an open needs, in one query by two primary keys: the caller as the database knows them now
 * (a deactivated user is refused at once, as by the global guard), the work order's current
 * version and clinic, and that version's cached file.
 */
interface OpenRow {
  active: boolean | number;
  role: Role;
  user_clinic_id: string | null;
  version: number | null;
  clinic_id: string | null;
  code: string | null;
  storage_key: string | null;
  sha256: string | null;
}

const unauthorized = () => new DomainError('unauthorized', 'missing, invalid or expired access token');

/**
 * Work-order PDF opens. The current content version's file is streamed when it is stored (one
 * primary-key lookup that joins its cache row); otherwise the caller gets the version's one render
 * job (202). A stored record whose file has vanished is rendered again, never a 500.
 */
@Injectable()
export class WorkOrderPdfService {
  private readonly sql: string;

  constructor(
    private readonly fastSql: FastSql,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly hot: HotFiles,
    private readonly renders: WorkOrderPdfJobsService,
    private readonly tokens: TokenService,
  ) {
    this.sql =
      'select u.active, u.role, u.clinic_id as user_clinic_id, w.content_version as version, p.clinic_id, p.code, f.storage_key, f.sha256 ' +
      'from users u ' +
      'left join work_orders w on w.id = ? ' +
      'left join protocols p on p.id = w.protocol_id ' +
      'left join work_order_pdfs f on f.work_order_id = w.id and f.content_version = w.content_version ' +
      'where u.id = ?';
  }

  /**
   * The route authenticates here rather than in the global guard: the guard's user lookup and the
   * work order's would be two queries, and this is the hottest route there is (see bench).
   */
  async open(token: string | null, workOrderId: string, ifNoneMatch: string | undefined): Promise<WorkOrderPdfAnswer> {
    const payload = token ? this.tokens.verifyAccessToken(token) : null;
    if (!payload) throw unauthorized();
    const [row] = await this.fastSql.all<OpenRow>(this.sql, [workOrderId, payload.sub]);
    if (!row || !row.active) throw unauthorized();
    const user: Pick<AuthUser, 'id' | 'role' | 'clinicId'> = { id: payload.sub, role: row.role, clinicId: row.user_clinic_id };
    // Another clinic's work order is "not found", exactly like a missing one.
    if (row.version == null || !row.clinic_id || !row.code || !canSeeClinic(user, row.clinic_id)) throw notFound('work order');
    const version = Number(row.version);
    if (row.storage_key && row.sha256) {
      const etag = `"${row.sha256}"`;
      if (etagMatches(ifNoneMatch, etag)) return { kind: 'not-modified', etag, modifiedAt: null };
      const hot = await this.hot.get(row.storage_key, row.sha256);
      if (hot) return { kind: 'bytes', bytes: hot.bytes, etag, modifiedAt: hot.modifiedAt, filename: workOrderPdfFilename(row.code, version) };
      const file = await this.storage.open(row.storage_key);
      if (file) return { kind: 'file', stream: file.stream, size: file.size, etag, modifiedAt: file.modifiedAt, filename: workOrderPdfFilename(row.code, version) };
    }
    const job = await this.renders.ensure({ workOrderId, version, requestedBy: user.id, rerender: !!row.storage_key });
    if (!job) return this.open(token, workOrderId, ifNoneMatch); // rendered meanwhile
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
