import type { NoticePage, NoticesMarkedRead, NoticeView } from '@vetlab/shared';
import type { ApiClient } from '../api/api-client';

/** The vet's notice routes, typed by the shared contract (checked against OpenAPI in openapi-contract.ts). */
export const NOTICE_PAGE_SIZE = 20;
export const noticeKeys = { all: ['notices'] as const, first: ['notices', 'first'] as const };

export const listNotices = (api: ApiClient, page = 1) => api.get<NoticePage>('/notices', { page, pageSize: NOTICE_PAGE_SIZE });
export const markNoticeRead = (api: ApiClient, id: string) => api.post<NoticeView>(`/notices/${encodeURIComponent(id)}/read`);
export const markAllNoticesRead = (api: ApiClient) => api.post<NoticesMarkedRead>('/notices/read-all');
