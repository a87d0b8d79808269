import { z } from 'zod';
import { ProtocolAction, ProtocolStatus, values } from '../enums';
import { ProtocolFilter } from './protocols';
import { ProtocolStatus as Status } from '../enums';
import { JobAccepted } from './jobs';
import { PageQuery } from './common';

/** Most protocols one bulk run may touch (ids listed, or matched by a filter). */
export const BULK_MAX_ITEMS = 10_000;

/** Action of a bulk run: every manual transition (`reported` is only reached by finalizing). */
export const BulkAction = z.enum(values(ProtocolAction), {
  error: `must be one of ${values(ProtocolAction).join(', ')} (reported is reached only by finalizing a report)`,
});

const reason = z.string().trim().min(3).max(500);

/** The list filter as a JSON body: statuses as an array (or the query string's comma-separated form). */
export const BulkFilter = ProtocolFilter.extend({
  status: z
    .union([z.string().transform((s) => s.split(',')), z.array(z.string())])
    .optional()
    .pipe(z.array(z.enum(values(Status))).optional()),
});

/**
 * `POST /api/protocols/bulk`: an action with either the ids (1 to 10,000, distinct) or a list filter
 * resolved to ids when the request arrives. Reject needs a reason.
 */
export const BulkRequest = z
  .strictObject({
    action: BulkAction,
    reason: reason.optional(),
    ids: z
      .array(z.uuid({ error: 'must be a UUID' }).transform((id) => id.toLowerCase()))
      .min(1, 'must list at least one protocol')
      .max(BULK_MAX_ITEMS, `must list at most ${BULK_MAX_ITEMS.toLocaleString('en')} protocols`)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a protocol')
      .optional(),
    filter: BulkFilter.strict().optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.ids === !b.filter) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or filter (exactly one)' });
    if (b.action === ProtocolAction.Reject && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs a reason' });
    if (b.action !== ProtocolAction.Reject && b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only a rejection takes a reason' });
  });
export type BulkRequest = z.input<typeof BulkRequest>;
export type BulkRequestDto = z.output<typeof BulkRequest>;

/** 202 of `POST /api/protocols/bulk` and of `POST /api/bulk/:id/retry-failed`. */
export type BulkAccepted = JobAccepted<'bulkId'> & { total: number };

export const BulkRunState = {
  Queued: 'queued',
  Running: 'running',
  Completed: 'completed',
  Cancelled: 'cancelled',
  Failed: 'failed',
} as const;
export type BulkRunState = (typeof BulkRunState)[keyof typeof BulkRunState];
/** Runs that will change nothing more. */
export const BULK_RUN_OVER_STATES: readonly BulkRunState[] = [BulkRunState.Completed, BulkRunState.Cancelled, BulkRunState.Failed];
export const isBulkRunOver = (state: BulkRunState): boolean => BULK_RUN_OVER_STATES.includes(state);

export const BulkItemStatus = {
  Pending: 'pending',
  Succeeded: 'succeeded',
  Skipped: 'skipped',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type BulkItemStatus = (typeof BulkItemStatus)[keyof typeof BulkItemStatus];

export interface BulkCounts {
  total: number;
  succeeded: number;
  skipped: number;
  failed: number;
  cancelled: number;
}

export interface BulkRunView extends BulkCounts {
  id: string;
  jobId: string;
  action: ProtocolAction;
  target: ProtocolStatus;
  reason: string | null;
  state: BulkRunState;
  /** Items with an outcome (succeeded + skipped + failed + cancelled). */
  done: number;
  /** Seconds left at the pace so far; null before the first chunk or once over. */
  etaSeconds: number | null;
  cancelRequested: boolean;
  /** The run whose failed items this one retries. */
  retryOf: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface BulkItemView {
  protocolId: string;
  /** Null when the id named no protocol. */
  code: string | null;
  animalName: string | null;
  status: BulkItemStatus;
  reason: string | null;
  attempts: number;
  processedAt: string | null;
}

export const BulkListQuery = PageQuery.extend({
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});
export type BulkListQuery = z.infer<typeof BulkListQuery>;

export const BulkItemsQuery = PageQuery.extend({
  status: z.enum(values(BulkItemStatus)).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type BulkItemsQuery = z.infer<typeof BulkItemsQuery>;
