/**
 * The SPA's calls against the API's OpenAPI document, checked by the compiler: what the SPA sends
 * must be accepted, what it reads must be what the API answers. `openapi.gen.ts` is generated from
 * the document by openapi-typescript; the API's openapi integration test fails when it is stale.
 * Only types: nothing here reaches the bundle.
 */
import type {
  BulkAccepted,
  BulkItemStatus,
  BulkItemView,
  BulkRunView,
  CatalogueView,
  MailView,
  NoticePage,
  NoticesMarkedRead,
  NoticeView,
  OpsBatchResult,
  OpsJobPage,
  OpsJobRow,
  OpsMailPage,
  OpsOverview,
  OpsStuckJob,
  PauseQueueRequest,
  QueuePause,
  ClinicView,
  FinalizeAccepted,
  JobAccepted,
  JobView,
  LoginResponse,
  Page,
  ProtocolDetail,
  ProtocolSummary,
  ReportVersionView,
  ReportView,
  Role,
  UpdateResultsRequest,
  UpdateWorkOrderRequest,
  UserView,
  WorkOrderView,
} from '@vetlab/shared';
import type { toRequest as toClinicRequest } from '../clinics/clinic-form';
import type { startBulk } from '../bulk/bulk-api';
import type { JobsQuery, MailsQuery } from '../ops/ops-api';
import type { toCreateRequest } from '../intake/protocol-form';
import type { toApiQuery } from '../protocols/protocol-query';
import type { queueQuery } from '../staff/intake-queue-page';
import type { amendReport, annulVersion } from '../results/report-life-actions';
import type { ApiClient } from './api-client';
import type { paths } from './openapi.gen';

type Verb = 'get' | 'put' | 'post' | 'patch' | 'delete';
type Op<P extends keyof paths, V extends Verb> = NonNullable<paths[P][V]>;
type Json<C> = C extends { content: { 'application/json': infer B } } ? B : { error: 'no JSON here' };

/** The query parameters of a route. */
export type ApiQuery<P extends keyof paths, V extends Verb> = NonNullable<Op<P, V>['parameters']['query']>;
/** The JSON body a route accepts. */
export type ApiBody<P extends keyof paths, V extends Verb> = Json<NonNullable<Op<P, V>['requestBody']>>;
/** The JSON answer of a route for a status. */
export type ApiAnswer<P extends keyof paths, V extends Verb, S extends number = 200> = S extends keyof Op<P, V>['responses'] ? Json<Op<P, V>['responses'][S]> : { error: 'no such status' };
/** A file answer (PDF, CSV). */
type FileAnswer<P extends keyof paths, T extends string> = Op<P, 'get'>['responses'][200]['content'] extends { [K in T]: infer F } ? F : { error: 'no such content type' };

/** Compiles only when A is assignable to B. */
type Fits<A extends B, B> = [A, B];
/** ApiClient's query: null and undefined values are left out of the URL. */
type Sent<Q> = { [K in keyof Q]?: Exclude<Q[K], null | undefined> };
type Arg<F extends (...args: never[]) => unknown, I extends number> = Parameters<F>[I];
type Returned<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

export type SpaCalls = [
  // api-client.ts
  Fits<Arg<ApiClient['login'], 0>, ApiBody<'/api/auth/login', 'post'>>,
  Fits<ApiAnswer<'/api/auth/login', 'post'>, LoginResponse>,
  Fits<ApiAnswer<'/api/auth/refresh', 'post'>, Partial<LoginResponse> & { accessToken: string }>,
  Fits<204, keyof Op<'/api/auth/logout', 'post'>['responses']>,
  // jobs/job-sync.ts
  Fits<{ mine: 'true'; active: 'true' }, ApiQuery<'/api/jobs', 'get'>>,
  Fits<ApiAnswer<'/api/jobs', 'get'>, JobView[]>,
  Fits<ApiAnswer<'/api/jobs/{id}', 'get'>, JobView>,
  Fits<ApiAnswer<'/api/reports/{id}/finalize', 'post', 202>, FinalizeAccepted>,
  // bulk/bulk-api.ts
  Fits<Arg<typeof startBulk, 1>, ApiBody<'/api/protocols/bulk', 'post'>>,
  Fits<ApiAnswer<'/api/protocols/bulk', 'post', 202>, Returned<typeof startBulk>>,
  Fits<{ active: 'true'; pageSize: number } | { page: number; pageSize: number }, ApiQuery<'/api/bulk', 'get'>>,
  Fits<ApiAnswer<'/api/bulk', 'get'>, Page<BulkRunView>>,
  Fits<ApiAnswer<'/api/bulk/{id}', 'get'>, BulkRunView>,
  Fits<{ page: number; pageSize: number; status?: BulkItemStatus }, ApiQuery<'/api/bulk/{id}/items', 'get'>>,
  Fits<ApiAnswer<'/api/bulk/{id}/items', 'get'>, Page<BulkItemView>>,
  Fits<ApiAnswer<'/api/bulk/{id}/cancel', 'post'>, BulkRunView>,
  Fits<ApiAnswer<'/api/bulk/{id}/retry-failed', 'post', 202>, BulkAccepted>,
  Fits<ApiAnswer<'/api/bulk/{id}/resume', 'post', 202>, BulkAccepted>,
  Fits<FileAnswer<'/api/bulk/{id}/items.csv', 'text/csv'>, string>,
  // protocols/protocol-queries.ts, staff/intake-queue-page.tsx
  Fits<Sent<ReturnType<typeof toApiQuery>>, ApiQuery<'/api/protocols', 'get'>>,
  Fits<ReturnType<typeof queueQuery>, ApiQuery<'/api/protocols', 'get'>>,
  Fits<ApiAnswer<'/api/protocols', 'get'>, Page<ProtocolSummary>>,
  Fits<ApiAnswer<'/api/protocols/{id}', 'get'>, ProtocolDetail>,
  Fits<ApiAnswer<'/api/work-orders/{id}', 'get'>, WorkOrderView>,
  Fits<ApiAnswer<'/api/reports/{id}', 'get'>, ReportView>,
  Fits<ApiAnswer<'/api/clinics', 'get'>, ClinicView[]>,
  // clinics/clinics-api.ts, admin/signature-card.tsx
  Fits<ApiAnswer<'/api/clinics/{id}', 'get'>, ClinicView>,
  Fits<ReturnType<typeof toClinicRequest>, ApiBody<'/api/clinics', 'post'>>,
  Fits<ApiAnswer<'/api/clinics', 'post', 201>, ClinicView>,
  Fits<ReturnType<typeof toClinicRequest>, ApiBody<'/api/clinics/{id}', 'patch'>>,
  Fits<ApiAnswer<'/api/clinics/{id}', 'patch'>, ClinicView>,
  Fits<ApiAnswer<'/api/users/{id}/signature', 'put'>, UserView>,
  Fits<FileAnswer<'/api/users/{id}/signature', 'image/png'>, string>,
  // staff/protocol-actions.ts (a reject without its reason is left to the API's 400, shown on the field)
  Fits<{ version?: number }, ApiBody<'/api/protocols/{id}/receive', 'post'>>,
  Fits<{ version?: number }, ApiBody<'/api/protocols/{id}/start-analysis', 'post'>>,
  Fits<{ reason: string; version?: number }, ApiBody<'/api/protocols/{id}/reject', 'post'>>,
  Fits<ApiAnswer<'/api/protocols/{id}/receive', 'post'>, ProtocolDetail>,
  Fits<ApiAnswer<'/api/protocols/{id}/start-analysis', 'post'>, ProtocolDetail>,
  Fits<ApiAnswer<'/api/protocols/{id}/reject', 'post'>, ProtocolDetail>,
  // intake/submit-protocol-page.tsx
  Fits<ApiAnswer<'/api/catalogue', 'get'>, CatalogueView>,
  Fits<Sent<{ role: typeof Role.Vet; clinicId: string | null; pageSize: number }>, ApiQuery<'/api/users', 'get'>>,
  Fits<ApiAnswer<'/api/users', 'get'>, Page<UserView>>,
  Fits<ReturnType<typeof toCreateRequest>, ApiBody<'/api/protocols', 'post'>>,
  Fits<ApiAnswer<'/api/protocols', 'post', 201>, ProtocolDetail>,
  // results/result-entry.tsx, work-orders/work-order-editor.tsx
  Fits<UpdateResultsRequest, ApiBody<'/api/reports/{id}/draft', 'put'>>,
  Fits<ApiAnswer<'/api/reports/{id}/draft', 'put'>, ReportVersionView>,
  // results/report-life-actions.tsx
  Fits<Arg<typeof amendReport, 2>, ApiBody<'/api/reports/{id}/amend', 'post'>>,
  Fits<ApiAnswer<'/api/reports/{id}/amend', 'post', 201>, ReportVersionView>,
  Fits<Arg<typeof annulVersion, 3>, ApiBody<'/api/reports/{id}/versions/{n}/annul', 'post'>>,
  Fits<ApiAnswer<'/api/reports/{id}/versions/{n}/annul', 'post', 202>, Returned<typeof annulVersion>>,
  Fits<UpdateWorkOrderRequest, ApiBody<'/api/work-orders/{id}', 'patch'>>,
  Fits<ApiAnswer<'/api/work-orders/{id}', 'patch'>, WorkOrderView>,
  // pdf/use-pdf-document.ts with report-panel.tsx and work-order-pdf.tsx paths
  Fits<FileAnswer<'/api/reports/{id}/versions/{n}/pdf', 'application/pdf'>, string>,
  Fits<ApiAnswer<'/api/reports/{id}/versions/{n}/pdf', 'get', 202>, Partial<JobAccepted>>,
  Fits<FileAnswer<'/api/work-orders/{id}/pdf', 'application/pdf'>, string>,
  Fits<ApiAnswer<'/api/work-orders/{id}/pdf', 'get', 202>, Partial<JobAccepted>>,
  // ops/ops-api.ts (the operations console)
  Fits<ApiAnswer<'/api/ops/overview', 'get'>, OpsOverview>,
  Fits<ApiAnswer<'/api/ops/pauses', 'get'>, QueuePause[]>,
  Fits<Required<PauseQueueRequest>, ApiBody<'/api/ops/queues/{queue}/pause', 'post'>>,
  Fits<ApiAnswer<'/api/ops/queues/{queue}/pause', 'post'>, QueuePause>,
  Fits<204, keyof Op<'/api/ops/queues/{queue}/resume', 'post'>['responses']>,
  Fits<ApiAnswer<'/api/ops/queues/{queue}/retry-failed', 'post'>, OpsBatchResult>,
  Fits<Sent<JobsQuery>, ApiQuery<'/api/ops/jobs', 'get'>>,
  Fits<ApiAnswer<'/api/ops/jobs', 'get'>, OpsJobPage>,
  Fits<ApiAnswer<'/api/ops/jobs/{id}', 'get'>, OpsJobRow>,
  Fits<ApiAnswer<'/api/ops/stuck', 'get'>, OpsStuckJob[]>,
  Fits<Sent<MailsQuery>, ApiQuery<'/api/ops/mails', 'get'>>,
  Fits<ApiAnswer<'/api/ops/mails', 'get'>, OpsMailPage>,
  Fits<{ clinicId: string }, ApiBody<'/api/ops/mails/resend-failed', 'post'>>,
  Fits<ApiAnswer<'/api/ops/mails/resend-failed', 'post'>, OpsBatchResult>,
  Fits<ApiAnswer<'/api/mails/{id}/resend', 'post'>, MailView>,
  // notices/notices-api.ts
  Fits<{ page: number; pageSize: number }, ApiQuery<'/api/notices', 'get'>>,
  Fits<ApiAnswer<'/api/notices', 'get'>, NoticePage>,
  Fits<ApiAnswer<'/api/notices/{id}/read', 'post'>, NoticeView>,
  Fits<ApiAnswer<'/api/notices/read-all', 'post'>, NoticesMarkedRead>,
];
