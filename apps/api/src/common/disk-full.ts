import { errorText } from './error-text';

/**
 * A write the disk had no room for, as each layer says it: the OS (ENOSPC; EDQUOT over a quota),
 * SQLite (SQLITE_FULL, "database or disk is full"), PostgreSQL (SQLSTATE 53100, "could not extend
 * file …: No space left on device"). Also found in Bull's stored failure reasons, which keep the
 * message only.
 */
const DISK_FULL = /\b(ENOSPC|EDQUOT|SQLITE_FULL|53100)\b|no space left on device|database or disk is full|disk quota exceeded/i;

/**
 * Whether an error (or a stored failure reason) is a full disk: not the request's fault nor the job's,
 * and not over until an administrator frees space. The HTTP layer answers 503 DISK_FULL; a job waits
 * and runs again (see isOutsideFailure).
 */
export function isDiskFull(e: unknown): boolean {
  return DISK_FULL.test(errorText(e));
}
