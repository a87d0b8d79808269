import type { AuditEntryView, AuditListQuery, Page, UserView } from '@vetlab/shared';
import type { ApiClient } from '../api/api-client';

/** The list's query as the SPA sends it (the shared input type leaves coerced numbers `unknown`). */
export type AuditQuery = Omit<AuditListQuery, 'page' | 'pageSize'> & { page: number; pageSize: number };

/** react-query keys; everything under ['audit'] is the trail's. */
export const auditKeys = {
  all: ['audit'] as const,
  list: (q: AuditQuery) => ['audit', 'list', q] as const,
  people: ['audit', 'people'] as const,
};

export const listAudit = (api: ApiClient, query: AuditQuery) => api.get<Page<AuditEntryView>>('/audit', query);

/** Everyone who may have done something (the "who" filter; `GET /api/users` is for admins). */
export const listPeople = async (api: ApiClient): Promise<UserView[]> => (await api.get<Page<UserView>>('/users', { pageSize: 200 })).items;
