import { z } from 'zod';
import { JobKind, JobState } from '../enums';

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
  result: Record<string, unknown> | null;
  subject: JobSubject;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const JobListQuery = z.object({
  mine: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});
