import { JobKind } from './enums';
import type { BulkRunState } from './schemas/bulk';
import type { ReportJobResult, WorkOrderPdfJobResult } from './schemas/jobs';

/** The Bull queues. `work-order-pdfs` is for work-order renders only, so an open never waits behind a finalize. */
export const QueueName = { Reports: 'reports', Mail: 'mail', Bulk: 'bulk', WorkOrderPdfs: 'work-order-pdfs' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Payload of both `reports` jobs (finalize, and rendering a lost PDF again). */
export interface ReportJobData {
  reportId: string;
  versionId: string;
  version: number;
}

/** Which content version of which work order to render. */
export interface WorkOrderPdfJobData {
  workOrderId: string;
  version: number;
}

/** Everything else is in the run and its ledger. */
export interface BulkJobData {
  bulkId: string;
}

/** The Bull job id is the outbox id too (Bull dedupes a re-add). */
export interface MailJobData {
  outboxId: string;
}

export interface BulkRunResult {
  bulkId: string;
  state: BulkRunState;
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  cancelled: number;
  digests: number;
}

export interface MailJobResult {
  outboxId: string;
  sent: boolean;
}

/**
 * Every job kind: its queue and Bull job name. `recorded`: a JobRecord (the `jobs` row, id = Bull
 * job id) follows it; mails have none, their outbox rows are their record.
 */
export const JOBS = {
  [JobKind.FinalizeReport]: { queue: QueueName.Reports, name: 'finalize', recorded: true },
  [JobKind.ReportPdf]: { queue: QueueName.Reports, name: 'render-pdf', recorded: true },
  [JobKind.WorkOrderPdf]: { queue: QueueName.WorkOrderPdfs, name: 'render', recorded: true },
  [JobKind.BulkProtocols]: { queue: QueueName.Bulk, name: 'run', recorded: true },
  [JobKind.SendEmail]: { queue: QueueName.Mail, name: 'send', recorded: false },
} as const satisfies Record<JobKind, { queue: QueueName; name: string; recorded: boolean }>;

/** Each kind's payload and result (`JobView.result` once it completed). */
export interface JobTypes {
  [JobKind.FinalizeReport]: { payload: ReportJobData; result: ReportJobResult };
  [JobKind.ReportPdf]: { payload: ReportJobData; result: ReportJobResult };
  [JobKind.WorkOrderPdf]: { payload: WorkOrderPdfJobData; result: WorkOrderPdfJobResult };
  [JobKind.BulkProtocols]: { payload: BulkJobData; result: BulkRunResult };
  [JobKind.SendEmail]: { payload: MailJobData; result: MailJobResult };
}
export type JobPayload<K extends JobKind> = JobTypes[K]['payload'];
export type JobResult<K extends JobKind> = JobTypes[K]['result'];
