import { z } from 'zod';
import { values } from '../enums';

export const IdSchema = z.uuid({ error: 'must be a UUID' });
/** Whether a value is an id the API accepts (IdSchema's rule): for the SPA's filters, and whatever reads ids out of free-form data. */
export const isId = (value: unknown): value is string => IdSchema.safeParse(value).success;
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
  /**
   * True when the count stopped at a cap (the protocol list counts at most PROTOCOL_COUNT_CAP): more
   * than `total` match, and a client says so ("more than 10,000") instead of a figure.
   */
  totalCapped?: boolean;
}
/** The protocol list counts matches up to this many; beyond it the page says "more than" (totalCapped). */
export const PROTOCOL_COUNT_CAP = 10_000;
/** The same for a list with a text search, whose every match is a row to fetch ("more than 1,000"). */
export const PROTOCOL_SEARCH_COUNT_CAP = 1_000;
/** Schema of a `Page` of these items (answers are documented from schemas, never validated). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int(), totalCapped: z.boolean().optional() });

export const Ref = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Ref' });
export type Ref = z.infer<typeof Ref>;

/** Stable codes of a 503: which service is down or busy (the answer also carries Retry-After). */
export const UnavailableCode = {
  Queue: 'QUEUE_UNAVAILABLE',
  Database: 'DATABASE_UNAVAILABLE',
  DatabaseBusy: 'DATABASE_BUSY',
  RateLimiter: 'RATE_LIMITER_UNAVAILABLE',
  /** The file storage (an S3-compatible server) does not answer: PDFs and signatures cannot be read or written. */
  Storage: 'STORAGE_UNAVAILABLE',
  /**
   * The server's disk is full (the data folder: the embedded database, the files, the outbox): nothing
   * new can be saved until an administrator frees space. Reading still works; jobs wait and go on by
   * themselves once there is room.
   */
  DiskFull: 'DISK_FULL',
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
  /** A protocol action whose target status the protocol has already (someone else did it). */
  ProtocolAlreadyInStatus: 'PROTOCOL_ALREADY_IN_STATUS',
  /** A protocol action its current status no longer allows. */
  ProtocolTransitionNotAllowed: 'PROTOCOL_TRANSITION_NOT_ALLOWED',
  /** Annul: only a finalized (or superseded) version can be annulled. */
  ReportVersionNotAnnullable: 'REPORT_VERSION_NOT_ANNULLABLE',
  /** Annul: the version is annulled already. */
  ReportVersionAlreadyAnnulled: 'REPORT_VERSION_ALREADY_ANNULLED',
  /** Amend (or annul with a retest): the report's latest version is not finalized, so no new draft can start from it. */
  ReportNotAmendable: 'REPORT_NOT_AMENDABLE',
} as const;
export type ConflictCode = (typeof ConflictCode)[keyof typeof ConflictCode];

/**
 * Stable codes of every other error answer: what went wrong, for a client to say in its own words
 * (the `message` is an English sentence for people reading logs and API answers, never for screens).
 */
export const ErrorCode = {
  /** A 400 whose `details` name each bad field with its own `FieldErrorCode`. */
  ValidationFailed: 'VALIDATION_FAILED',
  /** The body is not JSON (or an empty JSON body). */
  MalformedBody: 'MALFORMED_BODY',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** Any other 4xx a client sent wrong (no field to name). */
  BadRequest: 'BAD_REQUEST',
  /** No valid access token: sign in (again). */
  Unauthenticated: 'UNAUTHENTICATED',
  /** A login with a wrong e-mail or password (or an inactive account). */
  InvalidCredentials: 'INVALID_CREDENTIALS',
  /** The refresh session expired or was ended: sign in again. */
  SessionEnded: 'SESSION_ENDED',
  Forbidden: 'FORBIDDEN',
  /** Unknown id, or one the caller may not see (the same answer, so nothing leaks). */
  NotFound: 'NOT_FOUND',
  /** A 409 without a more specific `ConflictCode`. */
  Conflict: 'CONFLICT',
  /** The record was changed by someone else since it was read: reload and apply the change again. */
  Stale: 'STALE',
  /** A record with the same unique value exists already. */
  AlreadyExists: 'ALREADY_EXISTS',
  /** Too many attempts; Retry-After says when to try again. */
  RateLimited: 'RATE_LIMITED',
  /** A one-time password link that is unknown, used already or expired (410): ask the lab for a new one. */
  PasswordLinkInvalid: 'PASSWORD_LINK_INVALID',
  /** A 500: a bug; the body carries a correlation id that is also in the log. */
  Internal: 'INTERNAL_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every `code` an error body may carry. */
export const ERROR_CODES = [...values(ErrorCode), ...values(UnavailableCode), ...values(ConflictCode)] as const;
export type AnyErrorCode = ErrorCode | UnavailableCode | ConflictCode;

/**
 * What is wrong with one field of a 400 (`details[].code`): zod's issue codes (a missing field is
 * `required`) and a few the services' own checks give.
 */
export const FieldErrorCode = {
  Required: 'required',
  InvalidType: 'invalid_type',
  InvalidFormat: 'invalid_format',
  InvalidValue: 'invalid_value',
  /** Too short, too few or too low; `limit` says the minimum. */
  TooSmall: 'too_small',
  /** Too long, too many or too high; `limit` says the maximum. */
  TooBig: 'too_big',
  NotMultipleOf: 'not_multiple_of',
  UnrecognizedKeys: 'unrecognized_keys',
  /** An id that names nothing known (an unknown clinic, panel, row). */
  UnknownReference: 'unknown_reference',
  /** Valid on its own, but not allowed for this user or record. */
  NotAllowed: 'not_allowed',
  /** A schema's own rule (a refinement); the message says which. */
  Custom: 'custom',
  /** A password on the list of the most common ones (libs/shared `PasswordSchema`). */
  TooCommon: 'too_common',
  /** A value checked against a stored one that does not match (the current password). */
  Incorrect: 'incorrect',
  /** A value that is already taken by another record (a person's e-mail, a clinic's name). */
  Taken: 'taken',
} as const;
export type FieldErrorCode = (typeof FieldErrorCode)[keyof typeof FieldErrorCode];

export const FieldError = z
  .object({
    field: z.string(),
    message: z.string(),
    code: z.enum(values(FieldErrorCode)),
    /** The bound a `too_small` / `too_big` broke (a length, count or value). */
    limit: z.number().optional(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.infer<typeof FieldError>;

/**
 * Body of every error response. `code` always says what went wrong (`ErrorCode`), which service a
 * 503 waits for (`UnavailableCode`) or why a 409 refused (`ConflictCode`); `details` name the
 * offending fields of a 400, each with its own code.
 */
export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    code: z.enum(ERROR_CODES),
    details: z.array(FieldError).optional(),
    correlationId: z.string().optional(),
  })
  .meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** ISO date (YYYY-MM-DD) or full ISO timestamp. */
export const IsoDate = z.iso.date().or(z.iso.datetime({ offset: true }));
