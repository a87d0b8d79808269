import type {
  MailView,
  OpsBatchResult,
  OpsJobPage,
  OpsJobQuery,
  OpsJobRow,
  OpsMailPage,
  OpsMailQuery,
  OpsOverview,
  OpsStuckJob,
  Page,
  PauseQueueRequest,
  QueueName,
  QueuePause,
  UserView,
} from '@vetlab/shared';
import type { ApiClient } from '../api/api-client';

/**
 * The operations console's calls, typed by the shared zod types. One module so that switching to
 * the OpenAPI-generated types (once `/api/ops/*` is in openapi.gen.ts) is a change of this file only.
 */

/** Paged queries as the SPA sends them (the shared input types leave coerced numbers `unknown`). */
type Paged<Q> = Omit<Q, 'page' | 'pageSize'> & { page: number; pageSize: number };
export type JobsQuery = Paged<OpsJobQuery>;
export type MailsQuery = Paged<OpsMailQuery>;

/** A job action the API offers on a row (`OpsJobRow.actions`), and its route's last segment. */
export type JobAction = OpsJobRow['actions'][number];
const ACTION_PATH: Record<JobAction, string> = { retry: 'retry', discard: 'discard', promote: 'promote', hand_back: 'hand-back' };

/** react-query keys; everything under ['ops'] is the console's. */
export const opsKeys = {
  all: ['ops'] as const,
  overview: ['ops', 'overview'] as const,
  pauses: ['ops', 'pauses'] as const,
  jobsAll: ['ops', 'jobs'] as const,
  jobs: (q: JobsQuery) => ['ops', 'jobs', q] as const,
  stuck: ['ops', 'stuck'] as const,
  mailsAll: ['ops', 'mails'] as const,
  mails: (q: MailsQuery) => ['ops', 'mails', q] as const,
  staff: ['ops', 'staff'] as const,
};

const q = (queue: QueueName) => encodeURIComponent(queue);

export const getOverview = (api: ApiClient) => api.get<OpsOverview>('/ops/overview');
export const getPauses = (api: ApiClient) => api.get<QueuePause[]>('/ops/pauses');
export const pauseQueue = (api: ApiClient, queue: QueueName, body: PauseQueueRequest) => api.post<QueuePause>(`/ops/queues/${q(queue)}/pause`, body);
export const resumeQueue = (api: ApiClient, queue: QueueName) => api.post<unknown>(`/ops/queues/${q(queue)}/resume`);
export const retryFailedOf = (api: ApiClient, queue: QueueName) => api.post<OpsBatchResult>(`/ops/queues/${q(queue)}/retry-failed`);

export const listJobs = (api: ApiClient, query: JobsQuery) => api.get<OpsJobPage>('/ops/jobs', query);
export const getJob = (api: ApiClient, id: string) => api.get<OpsJobRow>(`/ops/jobs/${encodeURIComponent(id)}`);
export const jobAction = (api: ApiClient, id: string, action: JobAction) => api.post<unknown>(`/ops/jobs/${encodeURIComponent(id)}/${ACTION_PATH[action]}`);
export const listStuck = (api: ApiClient) => api.get<OpsStuckJob[]>('/ops/stuck');

export const listMails = (api: ApiClient, query: MailsQuery) => api.get<OpsMailPage>('/ops/mails', query);
export const resendMail = (api: ApiClient, id: string) => api.post<MailView>(`/mails/${encodeURIComponent(id)}/resend`);
export const resendFailedOf = (api: ApiClient, clinicId: string) => api.post<OpsBatchResult>('/ops/mails/resend-failed', { clinicId });

/** The lab's people (staff and admins) for the "who started it" filter; `GET /api/users` is admin only, like the console. */
export async function listLabPeople(api: ApiClient): Promise<UserView[]> {
  const [staff, admins] = await Promise.all([
    api.get<Page<UserView>>('/users', { role: 'staff', pageSize: 200 }),
    api.get<Page<UserView>>('/users', { role: 'admin', pageSize: 200 }),
  ]);
  return [...admins.items, ...staff.items];
}
