/**
 * Thrown by a job step that finds its run superseded: its Bull lock expired (a long pause, a
 * frozen VM), another worker took the job and claimed the subject with a newer run token. The
 * stale run stops without writing anything, the job record included: the newer run owns it. Nor
 * does it end the Bull job (JobWorkers lets a newer run of it in the same process end it first),
 * and it is never the job's own failure (isOutsideFailure): a sweep that finds Bull failed with it
 * runs the job again, it never fails the subject.
 */
export class SupersededRunError extends Error {
  override readonly name = 'SupersededRunError';
}
