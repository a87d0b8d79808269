import { z } from 'zod';
import { JobKind, JobState, values } from './enums';
import { BulkRunResult } from './schemas/bulk';
import { UnavailableCode } from './schemas/common';
import { JobSubject, ReportJobResult, WorkOrderPdfJobResult } from './schemas/jobs';

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

export const MailJobResult = z.object({ outboxId: z.string(), sent: z.boolean() }).meta({ id: 'MailJobResult' });
export type MailJobResult = z.infer<typeof MailJobResult>;

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

/** A job as users see it: the record a browser resynchronises from, its result typed by the kind. */
export const JobView = z
  .object({
    id: z.string(),
    kind: z.enum(values(JobKind)),
    state: z.enum(values(JobState)),
    progress: z.number(),
    stage: z.string().nullable(),
    attempts: z.number().int(),
    failedReason: z.string().nullable(),
    /**
     * While the job still runs: the service outside it that its last attempt found unusable, when that
     * is plain from the failure (the disk full, the file storage away). It goes on by itself once the
     * service is back; null otherwise.
     */
    waitingFor: z.enum([UnavailableCode.DiskFull, UnavailableCode.Storage]).nullable(),
    /** The kind's result (see JobTypes), once it completed. */
    result: z.union([ReportJobResult, WorkOrderPdfJobResult, BulkRunResult, MailJobResult]).nullable(),
    subject: JobSubject,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'JobView' });
export type JobView = z.infer<typeof JobView>;
