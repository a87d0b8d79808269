import type { BulkAccepted, BulkItemStatus, BulkItemView, BulkRequest, BulkRunView, Page, ProtocolAction } from '@vetlab/shared';
import { ApiError, ApiClient } from '../api/api-client';
import type { MessageKey } from '../i18n/catalogue';
import type { ProtocolFilters } from '../protocols/protocol-query';

/** react-query keys of bulk data; everything under ['bulk'] is refetched when a run ends. */
export const bulkKeys = {
  all: ['bulk'] as const,
  active: ['bulk', 'active'] as const,
  list: (page: number) => ['bulk', 'list', page] as const,
  run: (id: string) => ['bulk', 'run', id] as const,
  items: (id: string, status: BulkItemStatus | null, page: number) => ['bulk', 'items', id, status, page] as const,
};

/** The toasts of a run: "processing" when it is accepted, replaced by the outcome when it ends. */
export const bulkNoticeIds = {
  started: (bulkId: string) => `bulk-start-${bulkId}`,
  done: (bulkId: string) => `bulk-done-${bulkId}`,
};

export const actionLabel = (action: ProtocolAction): MessageKey => `bulk.action.${action}`;

export const startBulk = (api: ApiClient, body: BulkRequest) => api.post<BulkAccepted>('/protocols/bulk', body);
export const activeRuns = (api: ApiClient) => api.get<Page<BulkRunView>>('/bulk', { active: 'true', pageSize: 20 });
export const listRuns = (api: ApiClient, page: number) => api.get<Page<BulkRunView>>('/bulk', { page, pageSize: 25 });
export const getRun = (api: ApiClient, id: string) => api.get<BulkRunView>(`/bulk/${encodeURIComponent(id)}`);
export const getItems = (api: ApiClient, id: string, status: BulkItemStatus | null, page: number) =>
  api.get<Page<BulkItemView>>(`/bulk/${encodeURIComponent(id)}/items`, { page, pageSize: 50, ...(status ? { status } : {}) });
export const cancelRun = (api: ApiClient, id: string) => api.post<BulkRunView>(`/bulk/${encodeURIComponent(id)}/cancel`);
export const retryFailed = (api: ApiClient, id: string) => api.post<BulkAccepted>(`/bulk/${encodeURIComponent(id)}/retry-failed`);
export const resumeRun = (api: ApiClient, id: string) => api.post<BulkAccepted>(`/bulk/${encodeURIComponent(id)}/resume`);

/** The table's filter as the bulk request's `filter` (what "all N matching" means on the server). */
export function filterBody(f: ProtocolFilters): NonNullable<BulkRequest['filter']> {
  return {
    ...(f.status.length ? { status: f.status } : {}),
    ...(f.clinicId ? { clinicId: f.clinicId } : {}),
    ...(f.species ? { species: f.species } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
  };
}

/** The ledger as a CSV file: fetched with the session (the token never goes in a URL), saved by the browser. */
export async function downloadCsv(api: ApiClient, id: string): Promise<void> {
  const res = await api.fetchRaw(`/bulk/${encodeURIComponent(id)}/items.csv`);
  if (!res.ok) throw new ApiError(res.status, null);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `bulk-${id}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
