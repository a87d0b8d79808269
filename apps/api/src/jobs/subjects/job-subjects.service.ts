import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, ConflictCode, JobKind, JobPayload, RELEASED_VERSION_STATUSES, ReportJobData, ReportVersionStatus, WorkOrderPdfJobData } from '@vetlab/shared';
import { AuditService } from '../../audit/audit.service';
import { conflict } from '../../common/domain-error';
import { BulkLedgerRepository } from '../../bulk/bulk-ledger.repository';
import { REPORTABLE } from '../../reports/finalize/finalize-request.service';
import { FinalizeStatusService } from '../../reports/finalize/finalize-status.service';
import { ReportVersionsRepository } from '../../reports/finalize/report-versions.repository';
import { ReportVersion } from '../../reports/report-version.entity';
import { WorkOrderPdf } from '../../work-orders/pdf/work-order-pdf.entity';
import type { FinalFailureHook } from '../jobs.service';

/** A job record as the subject rules need it. */
export interface SubjectJob {
  id: string;
  kind: JobKind;
  payload: JobPayload<JobKind> | null;
  createdById: string | null;
}

/** 409 JOB_NOT_RETRYABLE, saying what the subject is now. */
export const notRetryable = (why: string) => conflict(`this job cannot run again: ${why}`, ConflictCode.JobNotRetryable);

/**
 * What a job's end means for its subject, one place per rule, reached by both roles: the worker
 * when a job fails for good (in the transaction that fails its record), the API when an admin
 * discards or retries a job from the operations console.
 */
@Injectable()
export class JobSubjects {
  constructor(
    private readonly finalizeStatus: FinalizeStatusService,
    private readonly versions: ReportVersionsRepository,
    private readonly ledger: BulkLedgerRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * The subject of a job given up for good: a finalize's version becomes `finalize_failed` (editable,
   * with the reason), a bulk run `failed` (its pending items stay for a resume). Renders leave their
   * subject alone: the next open or sweep starts a new job. Conditional: a subject that moved on is
   * left as it is.
   */
  async fail(em: EntityManager, job: SubjectJob, reason: string, actorId: string | null): Promise<void> {
    if (job.kind === JobKind.FinalizeReport && job.payload) {
      await this.finalizeStatus.markFailed(em, (job.payload as ReportJobData).versionId, job.id, reason, actorId);
    } else if (job.kind === JobKind.BulkProtocols && job.payload) {
      await this.ledger.markFailed(em, (job.payload as { bulkId: string }).bulkId);
    }
  }

  /** `fail` as the hook JobsService runs in the transaction that fails a record for good (no person acts). */
  failureHook(job: Omit<SubjectJob, 'createdById'>): FinalFailureHook {
    return (em, reason) => this.fail(em, { ...job, createdById: null }, reason, null);
  }

  /**
   * A failed render or finalize about to run again under the same id (its record is requeued in the
   * same transaction): a finalize's version goes back from `finalize_failed` to `finalizing` with a
   * fresh claim (every result and a reportable protocol re-checked, a new finalized-at, no run); a
   * render needs its slot to still belong to this job. Throws JOB_NOT_RETRYABLE when the subject
   * moved on (a newer version, another job). Bulk runs resume through BulkRequestService.
   */
  async reopen(em: EntityManager, job: SubjectJob, actorId: string): Promise<void> {
    if (!job.payload) throw notRetryable('it has no payload to run with');
    if (job.kind === JobKind.FinalizeReport) return this.reopenFinalize(em, job, job.payload as ReportJobData, actorId);
    if (job.kind === JobKind.ReportPdf) return this.checkReportRender(em, job, job.payload as ReportJobData);
    if (job.kind === JobKind.WorkOrderPdf) return this.checkWorkOrderRender(em, job, job.payload as WorkOrderPdfJobData);
    throw notRetryable(`${job.kind} jobs are not retried here`);
  }

  private async reopenFinalize(em: EntityManager, job: SubjectJob, data: ReportJobData, actorId: string) {
    const v = await em.findOne(ReportVersion, { id: data.versionId }, { fields: ['status', 'finalizeJobId', 'signer', 'number'], disableIdentityMap: true });
    if (!v) throw notRetryable(`version ${data.version} of its report no longer exists`);
    if (v.status !== ReportVersionStatus.FinalizeFailed || v.finalizeJobId !== job.id) {
      throw notRetryable(`version ${v.number} is ${v.status}${v.finalizeJobId !== job.id ? ' under another job' : ''}`);
    }
    const latest = await this.versions.latestVersion(em, data.reportId);
    if (latest?.id !== v.id) throw notRetryable(`version ${latest?.number} is newer than version ${v.number}`);
    const signerId = v.signer?.id ?? job.createdById;
    if (!signerId) throw notRetryable(`version ${v.number} has no signer`);
    const claimed = await this.versions.claim(em, { versionId: v.id, from: ReportVersionStatus.FinalizeFailed, jobId: job.id, signerId, reportable: REPORTABLE });
    if (!claimed) throw notRetryable(`version ${v.number} lacks results or its protocol cannot be reported now`);
    this.audit.record(em, {
      actorId,
      entity: 'report',
      entityId: data.reportId,
      action: AuditAction.StatusChange,
      before: { versionNumber: v.number, status: ReportVersionStatus.FinalizeFailed },
      after: { versionNumber: v.number, status: ReportVersionStatus.Finalizing },
      jobId: job.id,
    });
  }

  private async checkReportRender(em: EntityManager, job: SubjectJob, data: ReportJobData) {
    const v = await em.findOne(ReportVersion, { id: data.versionId }, { fields: ['status', 'renderJobId', 'number'], disableIdentityMap: true });
    if (!v || !RELEASED_VERSION_STATUSES.includes(v.status)) throw notRetryable(`version ${data.version} is ${v?.status ?? 'gone'}`);
    if (v.renderJobId !== job.id) throw notRetryable(`version ${v.number} is rendered by another job now`);
  }

  private async checkWorkOrderRender(em: EntityManager, job: SubjectJob, data: WorkOrderPdfJobData) {
    const row = await em.findOne(WorkOrderPdf, { workOrder: data.workOrderId, contentVersion: data.version }, { disableIdentityMap: true });
    if (row?.jobId !== job.id) throw notRetryable(`version ${data.version} of the work order is rendered by another job now`);
    if (row.storageKey) throw notRetryable(`version ${data.version} of the work order is rendered already`);
  }
}
