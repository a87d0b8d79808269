import type { FinalizeAccepted, JobView } from '@vetlab/shared';
import { ApiError } from '../api/api-client';
import type { ApiClient } from '../api/api-client';
import { JobStore, phaseOf } from './job-store';

/**
 * Brings the store in line with the jobs API (after a reload or a dropped socket, events may have
 * been missed): adopts the user's active finalizations, and asks about every tracked job that is
 * still running here or finished without a known version. A job the API no longer knows is dropped.
 */
export async function resyncJobs(api: ApiClient, store: JobStore): Promise<void> {
  const active = await api.get<JobView[]>('/jobs', { mine: 'true', active: 'true' });
  for (const v of active) store.applyView(v, true);
  const seen = new Set(active.map((v) => v.id));
  const stale = store.getSnapshot().filter((j) => !seen.has(j.jobId) && (phaseOf(j.state) === 'running' || (phaseOf(j.state) === 'ready' && j.version === null)));
  await Promise.all(stale.map((j) => refreshJob(api, store, j.jobId)));
}

/** One tracked job from `GET /api/jobs/:id`. */
export async function refreshJob(api: ApiClient, store: JobStore, jobId: string): Promise<void> {
  try {
    store.applyView(await api.get<JobView>(`/jobs/${encodeURIComponent(jobId)}`));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) store.dismiss(jobId);
    else throw err;
  }
}

/** `POST /api/reports/:id/finalize` and follow the job it answers with. */
export async function startFinalize(api: ApiClient, store: JobStore, reportId: string): Promise<FinalizeAccepted> {
  const accepted = await api.post<FinalizeAccepted>(`/reports/${encodeURIComponent(reportId)}/finalize`);
  store.track(accepted);
  return accepted;
}
