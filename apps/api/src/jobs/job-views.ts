import { JobEvent, JobView } from '@vetlab/shared';
import { waitingFor } from './failure-cause';
import { JobRecord } from './job.entity';

export const toJobView = (j: JobRecord): JobView => ({
  id: j.id,
  kind: j.kind,
  state: j.state,
  progress: j.progress,
  stage: j.stage,
  attempts: j.attempts,
  failedReason: j.failedReason,
  waitingFor: waitingFor(j.state, j.failedReason),
  result: j.result,
  subject: { type: j.subjectType, id: j.subjectId },
  createdAt: j.createdAt.toISOString(),
  startedAt: j.startedAt?.toISOString() ?? null,
  finishedAt: j.finishedAt?.toISOString() ?? null,
});

export const toJobEvent = (j: Pick<JobRecord, 'id' | 'kind' | 'subjectType' | 'subjectId' | 'state' | 'progress' | 'stage' | 'attempts' | 'failedReason'>): JobEvent => ({
  jobId: j.id,
  kind: j.kind,
  subject: { type: j.subjectType, id: j.subjectId },
  state: j.state,
  progress: j.progress,
  stage: j.stage,
  attempt: j.attempts,
  failedReason: j.failedReason,
  waitingFor: waitingFor(j.state, j.failedReason),
});
