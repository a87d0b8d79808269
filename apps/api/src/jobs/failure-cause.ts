import { ACTIVE_JOB_STATES, JobState, JobView, UnavailableCode } from '@vetlab/shared';
import { isDiskFull } from '../common/disk-full';
import { STORAGE_UNAVAILABLE_MESSAGE } from '../common/domain-error';
import { errorText } from '../common/error-text';
import { PermanentJobError } from './permanent-job-error';
import { SupersededRunError } from './superseded-run-error';

/** Error names (MikroORM, knex, ioredis) that mean a service was unreachable or too slow. */
const OUTSIDE_NAMES = /\b(ConnectionException|LockWaitTimeoutException|DeadlockException|KnexTimeoutError|TimeoutError|MaxRetriesPerRequestError)\b/;
/** Socket errors, SQLite's busy/locked, PostgreSQL's connection (08…) and shutdown (57P0…) classes, too many connections. */
const OUTSIDE_CODES = /\b(ECONNRESET|ECONNREFUSED|ECONNABORTED|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|SQLITE_BUSY|SQLITE_LOCKED|08\d{3}|57P0[1-3]|53300)\b/;
const OUTSIDE_MESSAGES = [
  /connection terminated/i,
  /connection (is )?(closed|lost|refused|reset)/i,
  /database is locked/i,
  /timeout acquiring a connection/i,
  /\btimed? ?out\b/i,
];
/**
 * A run that stopped because a newer run of the same job took its subject over (SupersededRunError):
 * the job's work did not fail, it belongs to the newer run (or, if that one is gone, to the next).
 */
const SUPERSEDED = /\bSupersededRunError\b/;
/** Bull's reason for giving up a job whose workers kept dying (killed, frozen) before it could finish. */
const STALLED = /stalled more than allowable limit/;
/**
 * The reason an admin's hand-back gives a job whose worker stopped answering (see JobQueues.failHung):
 * outside the job, so the sweeper replaces it.
 */
export const HANDED_BACK = 'handed back from the operations console: its worker stopped answering';

/** Whether Bull gave the job up because it stalled too often (outside any attempt of it). */
export function isStalledTooOften(e: unknown): boolean {
  return STALLED.test(errorText(e));
}

/**
 * Whether a job failed for a reason outside its own work: the database, Redis or the file storage
 * unreachable or too slow, the disk full (it runs again once an administrator frees space), its
 * workers dying, or its run superseded by a newer run of the job. Such a job is run again (by Bull,
 * then by the stranded-job sweeper), never failed for good. Anything else (the job's own error, a PermanentJobError) is the job's own.
 *
 * Takes an error of this process, or what Bull kept of one in Redis (its message and stack), so the
 * worker and the sweeper decide alike. The one place that tells the two apart.
 */
export function isOutsideFailure(e: unknown): boolean {
  if (e instanceof PermanentJobError) return false;
  if (e instanceof SupersededRunError) return true;
  const text = errorText(e);
  if (/\bPermanentJobError\b/.test(text)) return false;
  return (
    OUTSIDE_NAMES.test(text) ||
    OUTSIDE_CODES.test(text) ||
    STALLED.test(text) ||
    SUPERSEDED.test(text) ||
    text.includes(HANDED_BACK) ||
    text.includes(STORAGE_UNAVAILABLE_MESSAGE) ||
    isDiskFull(text) ||
    OUTSIDE_MESSAGES.some((m) => m.test(text))
  );
}

/**
 * What a job that still runs waits for, told from its last failure: a full disk or the file storage
 * away (plain from the failure, whoever raised it). Null for anything else, and for a job that is
 * over: a database or Redis that is away cannot be told apart from an SMTP server by a socket error.
 */
export function waitingFor(state: JobState, failedReason: string | null): JobView['waitingFor'] {
  if (!failedReason || !ACTIVE_JOB_STATES.includes(state)) return null;
  if (isDiskFull(failedReason)) return UnavailableCode.DiskFull;
  if (failedReason.includes(STORAGE_UNAVAILABLE_MESSAGE)) return UnavailableCode.Storage;
  return null;
}

/** How an attempt that threw ends: superseded by a newer run, failed for good, or to run again. */
export function attemptOutcome(e: unknown, lastAttempt: boolean): 'superseded' | 'failed' | 'retried' {
  if (e instanceof SupersededRunError) return 'superseded';
  return e instanceof PermanentJobError || (lastAttempt && !isOutsideFailure(e)) ? 'failed' : 'retried';
}
