/**
 * Thrown by a job step that finds its run superseded: its Bull lock expired (a long pause, a
 * frozen VM), another worker took the job and claimed the subject with a newer run token. The
 * stale run stops without writing anything, the job record included: the newer run owns it.
 */
export class SupersededRunError extends Error {
  override readonly name = 'SupersededRunError';
}
