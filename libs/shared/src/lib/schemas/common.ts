import { z } from 'zod';
import { values } from '../enums';

export const IdSchema = z.uuid({ error: 'must be a UUID' });
export const IdParams = z.object({ id: IdSchema });
export type IdParams = z.infer<typeof IdParams>;

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
/** Schema of a `Page` of these items (answers are documented from schemas, never validated). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const Ref = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Ref' });
export type Ref = z.infer<typeof Ref>;

/** Stable codes of a 503: which service is down or busy (the answer also carries Retry-After). */
export const UnavailableCode = {
  Queue: 'QUEUE_UNAVAILABLE',
  Database: 'DATABASE_UNAVAILABLE',
  DatabaseBusy: 'DATABASE_BUSY',
  RateLimiter: 'RATE_LIMITER_UNAVAILABLE',
} as const;
export type UnavailableCode = (typeof UnavailableCode)[keyof typeof UnavailableCode];

/** Stable codes of a 409 whose cause a client can act on (the message says it in words). */
export const ConflictCode = {
  BulkRunNotResumable: 'BULK_RUN_NOT_RESUMABLE',
  MailAlreadySent: 'MAIL_ALREADY_SENT',
  MailNotResendable: 'MAIL_NOT_RESENDABLE',
  MailChanged: 'MAIL_CHANGED',
  /** The ops console's job actions: the job is not in a state this action applies to. */
  JobNotRetryable: 'JOB_NOT_RETRYABLE',
  JobNotDiscardable: 'JOB_NOT_DISCARDABLE',
  JobNotDelayed: 'JOB_NOT_DELAYED',
  JobNotStuck: 'JOB_NOT_STUCK',
  QueueNotPaused: 'QUEUE_NOT_PAUSED',
  /** A pause while the queue is paused already: resume it first (one open pause per queue). */
  QueueAlreadyPaused: 'QUEUE_ALREADY_PAUSED',
  /** Annul: only a finalized (or superseded) version can be annulled. */
  ReportVersionNotAnnullable: 'REPORT_VERSION_NOT_ANNULLABLE',
  /** Annul: the version is annulled already. */
  ReportVersionAlreadyAnnulled: 'REPORT_VERSION_ALREADY_ANNULLED',
  /** Amend (or annul with a retest): the report's latest version is not finalized, so no new draft can start from it. */
  ReportNotAmendable: 'REPORT_NOT_AMENDABLE',
} as const;
export type ConflictCode = (typeof ConflictCode)[keyof typeof ConflictCode];

/**
 * Body of every error response. `details` names the offending fields on a 400; `code` says which
 * service a 503 waits for, or why a 409 refused.
 */
export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    code: z.enum([...values(UnavailableCode), ...values(ConflictCode)]).optional(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    correlationId: z.string().optional(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** ISO date (YYYY-MM-DD) or full ISO timestamp. */
export const IsoDate = z.iso.date().or(z.iso.datetime({ offset: true }));
