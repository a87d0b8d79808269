import { ConflictCode, ErrorCode, FieldError, FieldErrorCode, UnavailableCode } from '@vetlab/shared';

/** Small coded errors that services throw; the exception filter maps each code to an HTTP status. */
export type DomainErrorCode = 'not_found' | 'conflict' | 'stale' | 'invalid' | 'forbidden' | 'unauthorized' | 'rate_limited' | 'unavailable' | 'gone';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: FieldError[],
    /** The body's stable code when it says more than the status's own (INVALID_CREDENTIALS for a 401). */
    readonly errorCode?: ErrorCode,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
/** A 409; `reason`, when given, goes into the body as its stable `code`. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly reason?: ConflictCode,
  ) {
    super('conflict', message);
  }
}

export const conflict = (message: string, reason?: ConflictCode) => new ConflictError(message, reason);
export const stale = (what: string) =>
  new DomainError('stale', `${what} was changed by someone else; reload it and apply your change again`);
/** A 400 naming one field; `code` says what is wrong with it (the SPA words it from the code). */
export const invalid = (field: string, message: string, code: FieldErrorCode = FieldErrorCode.InvalidValue, limit?: number) =>
  invalidFields([{ field, message, code, ...(limit != null ? { limit } : {}) }]);
/** A 400 naming every bad field at once. */
export const invalidFields = (details: FieldError[]) => new DomainError('invalid', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

/** How long a client should wait before trying again a service that is down: a restart takes seconds. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** A 503 that names the service that is down (its stable code goes into the body, `retryAfter` into Retry-After). */
export class UnavailableError extends DomainError {
  constructor(
    readonly service: UnavailableCode,
    message: string,
    readonly retryAfter = UNAVAILABLE_RETRY_AFTER_SECONDS,
  ) {
    super('unavailable', message);
  }
}

export const queueUnavailable = () =>
  new UnavailableError(UnavailableCode.Queue, 'the queue service (Redis) is unavailable; try again in a moment');
export const databaseUnavailable = () => new UnavailableError(UnavailableCode.Database, 'the database is unavailable; try again in a moment');
export const databaseBusy = () => new UnavailableError(UnavailableCode.DatabaseBusy, 'the database is busy; try again in a moment');
/** How a STORAGE_UNAVAILABLE error's message starts (also what a job's stored failure reason is told by). */
export const STORAGE_UNAVAILABLE_MESSAGE = 'the file storage (S3) is unavailable';
/** A full disk is not over in seconds: somebody has to free space. */
export const DISK_FULL_RETRY_AFTER_SECONDS = 60;
export const diskFull = () =>
  new UnavailableError(
    UnavailableCode.DiskFull,
    "the server's disk is full: nothing new can be saved until an administrator frees space",
    DISK_FULL_RETRY_AFTER_SECONDS,
  );
export const storageUnavailable = (why?: string) =>
  new UnavailableError(UnavailableCode.Storage, `${STORAGE_UNAVAILABLE_MESSAGE}${why ? ` (${why})` : ''}; try again in a moment`);
