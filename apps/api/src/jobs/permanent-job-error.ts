/**
 * Thrown by a job step when trying again cannot help (the subject is gone, the state machine
 * refuses). The runner discards the Bull job instead of retrying it.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}
