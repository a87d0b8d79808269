import { z } from 'zod';
import { JobKind, JobState, ReportJobStage } from '../enums';
import type { JobResult } from '../job-map';

export type JobSubjectType = 'report' | 'work_order' | 'bulk' | 'email';

export interface JobSubject {
  type: JobSubjectType;
  id: string;
}

/** Every 202 answer: the job plus its subject's id under a named key. */
export type JobAccepted<K extends string = never> = { jobId: string; kind: JobKind; state: JobState } & {
  [P in K]: string;
};

export interface JobView {
  id: string;
  kind: JobKind;
  state: JobState;
  progress: number;
  stage: string | null;
  attempts: number;
  failedReason: string | null;
  /** The kind's result (see JobTypes), once it completed. */
  result: JobResult<JobKind> | null;
  subject: JobSubject;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const JobListQuery = z.object({
  mine: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

/** 202 of `POST /api/reports/:id/finalize`. */
export type FinalizeAccepted = JobAccepted<'reportId'>;

/** 202 of a report PDF whose file is being rendered again; ask again (or wait for job:completed). */
export type ReportPdfAccepted = JobAccepted<'reportId'> & { version: number };

/** 202 of `GET /api/work-orders/:id/pdf` when the current version is not rendered yet. */
export type WorkOrderPdfAccepted = JobAccepted<'workOrderId'>;

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
