import { z } from 'zod';
import { ProtocolAction, ProtocolStatus, values } from '../enums';
import { ProtocolFilter } from './protocols';
import { ProtocolStatus as Status } from '../enums';
import { JobAcceptedBase } from './jobs';
import { PageQuery, Ref } from './common';

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

/** 202 of `POST /api/protocols/bulk`, `POST /api/bulk/:id/retry-failed` and `POST /api/bulk/:id/resume`. */
export const BulkAccepted = JobAcceptedBase.extend({ bulkId: z.string(), total: z.number().int() }).meta({ id: 'BulkAccepted' });
export type BulkAccepted = z.infer<typeof BulkAccepted>;

export const BulkRunState = {
  Queued: 'queued',
  Running: 'running',
  Completed: 'completed',
  Cancelled: 'cancelled',
  Failed: 'failed',
} as const;
export type BulkRunState = (typeof BulkRunState)[keyof typeof BulkRunState];
/** `JobView.result` of a bulk run's job. */
export const BulkRunResult = z
  .object({
    bulkId: z.string(),
    state: z.enum(values(BulkRunState)),
    total: z.number().int(),
    succeeded: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
    digests: z.number().int(),
  })
  .meta({ id: 'BulkRunResult' });
export type BulkRunResult = z.infer<typeof BulkRunResult>;
/** Runs that will change nothing more. */
export const BULK_RUN_OVER_STATES: readonly BulkRunState[] = [BulkRunState.Completed, BulkRunState.Cancelled, BulkRunState.Failed];
export const isBulkRunOver = (state: BulkRunState): boolean => BULK_RUN_OVER_STATES.includes(state);
/** A run that stopped before its ledger was done can go on from it (`POST /api/bulk/:id/resume`). */
export const isBulkRunResumable = (state: BulkRunState): boolean => state === BulkRunState.Failed;

export const BulkItemStatus = {
  Pending: 'pending',
  Succeeded: 'succeeded',
  Skipped: 'skipped',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type BulkItemStatus = (typeof BulkItemStatus)[keyof typeof BulkItemStatus];

export const BulkCounts = z.object({
  total: z.number().int(),
  succeeded: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
export type BulkCounts = z.infer<typeof BulkCounts>;

export const BulkRunView = BulkCounts.extend({
  id: z.string(),
  jobId: z.string(),
  action: z.enum(values(ProtocolAction)),
  target: z.enum(values(ProtocolStatus)),
  reason: z.string().nullable(),
  state: z.enum(values(BulkRunState)),
  /** Items with an outcome (succeeded + skipped + failed + cancelled). */
  done: z.number().int(),
  /** Seconds left at the pace so far; null before the first chunk or once over. */
  etaSeconds: z.number().nullable(),
  cancelRequested: z.boolean(),
  /** The run whose failed items this one retries. */
  retryOf: z.string().nullable(),
  createdBy: Ref.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
}).meta({ id: 'BulkRunView' });
export type BulkRunView = z.infer<typeof BulkRunView>;

export const BulkItemView = z
  .object({
    protocolId: z.string(),
    /** Null when the id named no protocol. */
    code: z.string().nullable(),
    animalName: z.string().nullable(),
    status: z.enum(values(BulkItemStatus)),
    reason: z.string().nullable(),
    attempts: z.number().int(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: 'BulkItemView' });
export type BulkItemView = z.infer<typeof BulkItemView>;

export const BulkListQuery = PageQuery.extend({
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});
export type BulkListQuery = z.infer<typeof BulkListQuery>;

export const BulkItemsQuery = PageQuery.extend({
  status: z.enum(values(BulkItemStatus)).optional(),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type BulkItemsQuery = z.infer<typeof BulkItemsQuery>;
