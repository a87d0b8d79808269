import { z } from 'zod';
import { JobKind, JobState, ReportJobStage, values } from '../enums';

export const JobSubjectType = z.enum(['report', 'work_order', 'bulk', 'email']);
export type JobSubjectType = z.infer<typeof JobSubjectType>;

export const JobSubject = z.object({ type: JobSubjectType, id: z.string() }).meta({ id: 'JobSubject' });
export type JobSubject = z.infer<typeof JobSubject>;

/** Every 202 answer: the job plus its subject's id under a named key. */
export type JobAccepted<K extends string = never> = { jobId: string; kind: JobKind; state: JobState } & {
  [P in K]: string;
};
export const JobAcceptedBase = z.object({ jobId: z.string(), kind: z.enum(values(JobKind)), state: z.enum(values(JobState)) });

export const JobView = z
  .object({
    id: z.string(),
    kind: z.enum(values(JobKind)),
    state: z.enum(values(JobState)),
    progress: z.number(),
    stage: z.string().nullable(),
    attempts: z.number().int(),
    failedReason: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    subject: JobSubject,
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'JobView' });
export type JobView = z.infer<typeof JobView>;

export const JobListQuery = z.object({
  mine: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

/** 202 of `POST /api/reports/:id/finalize`. */
export const FinalizeAccepted = JobAcceptedBase.extend({ reportId: z.string() }).meta({ id: 'FinalizeAccepted' });
export type FinalizeAccepted = z.infer<typeof FinalizeAccepted>;

/** 202 of a report PDF whose file is being rendered again; ask again (or wait for job:completed). */
export const ReportPdfAccepted = FinalizeAccepted.extend({ version: z.number().int() }).meta({ id: 'ReportPdfAccepted' });
export type ReportPdfAccepted = z.infer<typeof ReportPdfAccepted>;

/** 202 of `GET /api/work-orders/:id/pdf` when the current version is not rendered yet. */
export const WorkOrderPdfAccepted = JobAcceptedBase.extend({ workOrderId: z.string() }).meta({ id: 'WorkOrderPdfAccepted' });
export type WorkOrderPdfAccepted = z.infer<typeof WorkOrderPdfAccepted>;

/** `JobView.result` of a work-order PDF job. `superseded`: the work order changed before it ran. */
export interface WorkOrderPdfJobResult {
  workOrderId: string;
  version: number;
  sha256: string | null;
  size: number | null;
  pages: number | null;
  renderMs: number | null;
  superseded?: boolean;
}

/** `JobView.result` of a finished report job: what was produced and how long each stage took. */
export interface ReportJobResult {
  reportId: string;
  version: number;
  sha256: string;
  size: number;
  pages: number | null;
  verificationCode: string;
  /** Outbox messages of this version (finalize only). */
  mails?: number;
  /** Every stage this run went through; `skipped` when a checkpoint of an earlier attempt covered it. */
  stages: { stage: ReportJobStage; ms: number; skipped: boolean }[];
}
