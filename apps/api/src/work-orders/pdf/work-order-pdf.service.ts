import { Inject, Injectable } from '@nestjs/common';
import { WorkOrderPdfAccepted } from '@vetlab/shared';
import { AuthUser } from '../../auth/auth-user';
import { notFound } from '../../common/domain-error';
import { workOrderPdfFilename } from '../../pdf/work-order-labels';
import { canSeeClinic } from '../../protocols/protocol-access';
import { FILE_STORAGE, FileStorage } from '../../storage/file-storage';
import { etagMatches, PdfAnswer } from '../../common/pdf-reply';
import { WorkOrderPdfRepository } from './work-order-pdf.repository';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';

export type WorkOrderPdfAnswer = PdfAnswer<WorkOrderPdfAccepted>;

/**
 * Work-order PDF opens. The current content version's file is sent when it is stored (from the
 * storage's memory when it is among the most opened, else streamed); otherwise the caller gets the
 * version's one render job (202). A stored record whose file has vanished is rendered again, never a 500.
 */
@Injectable()
export class WorkOrderPdfService {
  constructor(
    private readonly pdfs: WorkOrderPdfRepository,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly renders: WorkOrderPdfJobsService,
  ) {}

  async open(user: AuthUser, workOrderId: string, ifNoneMatch: string | undefined): Promise<WorkOrderPdfAnswer> {
    const row = await this.pdfs.currentOf(workOrderId);
    // Another clinic's work order is "not found", exactly like a missing one.
    if (!row || !canSeeClinic(user, row.clinicId)) throw notFound('work order');
    const { version } = row;
    if (row.storageKey && row.sha256) {
      const etag = `"${row.sha256}"`;
      if (etagMatches(ifNoneMatch, etag)) return { kind: 'not-modified', etag };
      const file = await this.storage.open(row.storageKey, { sha256: row.sha256 });
      if (file) return { kind: 'file', file, etag, filename: workOrderPdfFilename(row.code, version) };
    }
    const job = await this.renders.ensure({ workOrderId, version, requestedBy: user.id, rerender: !!row.storageKey });
    if (!job) return this.open(user, workOrderId, ifNoneMatch); // rendered meanwhile
    return { kind: 'rendering', body: { jobId: job.id, kind: job.kind, state: job.state, workOrderId } };
  }
}
