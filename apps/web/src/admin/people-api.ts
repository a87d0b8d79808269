import type { CreateUserRequest, Page, PasswordLinkView, Role, UpdateUserRequest, UserView } from '@vetlab/shared';
import type { ApiClient } from '../api/api-client';

/** The list's filters, as kept in the URL. */
export interface PeopleFilters {
  role: Role | null;
  clinicId: string | null;
  /** 'true' | 'false' as the API takes it; null: everybody. */
  active: string | null;
  q: string | null;
}

export const PAGE_SIZE = 25;

/** react-query keys of people; everything under ['people'] is refetched after a change. */
export const peopleKeys = {
  all: ['people'] as const,
  list: (f: PeopleFilters, page: number) => ['people', 'list', f, page] as const,
  one: (id: string) => ['people', 'one', id] as const,
};

export function listPeople(api: ApiClient, f: PeopleFilters, page: number) {
  const query: Record<string, string | number> = { page, pageSize: PAGE_SIZE };
  for (const [k, v] of Object.entries(f)) if (v) query[k] = v;
  return api.get<Page<UserView>>('/users', query);
}
export const getPerson = (api: ApiClient, id: string) => api.get<UserView>(`/users/${encodeURIComponent(id)}`);
export const createPerson = (api: ApiClient, body: CreateUserRequest) => api.post<UserView>('/users', body);
export const updatePerson = (api: ApiClient, id: string, body: UpdateUserRequest) => api.patch<UserView>(`/users/${encodeURIComponent(id)}`, body);
export const sendPasswordLink = (api: ApiClient, id: string) => api.post<PasswordLinkView>(`/users/${encodeURIComponent(id)}/password-link`);
