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
export const WorkOrderPdfJobResult = z
  .object({
    workOrderId: z.string(),
    version: z.number().int(),
    sha256: z.string().nullable(),
    size: z.number().int().nullable(),
    pages: z.number().int().nullable(),
    renderMs: z.number().nullable(),
    superseded: z.boolean().optional(),
  })
  .meta({ id: 'WorkOrderPdfJobResult' });
export type WorkOrderPdfJobResult = z.infer<typeof WorkOrderPdfJobResult>;

/** `JobView.result` of a finished report job: what was produced and how long each stage took. */
export const ReportJobResult = z
  .object({
    reportId: z.string(),
    version: z.number().int(),
    sha256: z.string(),
    size: z.number().int(),
    pages: z.number().int().nullable(),
    verificationCode: z.string(),
    /** Outbox messages of this version (finalize, and the render of an annulled version: its annulment mails). */
    mails: z.number().int().optional(),
    /** Every stage this run went through; `skipped` when a checkpoint of an earlier attempt covered it. */
    stages: z.array(z.object({ stage: z.enum(values(ReportJobStage)), ms: z.number(), skipped: z.boolean() })),
  })
  .meta({ id: 'ReportJobResult' });
export type ReportJobResult = z.infer<typeof ReportJobResult>;
