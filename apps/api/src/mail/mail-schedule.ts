import type { AppConfig } from '../config/app-config';

/** The Bull backoff type of mail jobs: the delay comes from the outbox row's schedule. */
export const MAIL_BACKOFF = 'outbox-schedule';

/** A mail to try again later: after a transient failure, or one not due yet. Carries the wait. */
export class MailRetryLater extends Error {
  override readonly name = 'MailRetryLater';

  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
  }
}

type Schedule = Pick<AppConfig['mail'], 'retryMinMs' | 'retryMaxMs' | 'giveUpAfterMs'>;

/** The wait after the n-th failed attempt: MAIL_RETRY_MIN_MS, doubling, capped at MAIL_RETRY_MAX_MS. */
export function retryDelayMs(failedAttempts: number, s: Schedule): number {
  return Math.min(s.retryMinMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 30), s.retryMaxMs);
}

/** When a mail is given up: MAIL_GIVE_UP_AFTER_MS after it was queued, or after staff last sent it again. */
export function giveUpAt(row: { createdAt: Date; resentAt: Date | null }, s: Schedule): Date {
  return new Date((row.resentAt ?? row.createdAt).getTime() + s.giveUpAfterMs);
}

/**
 * Bull's backoff for mail jobs: the wait the delivery chose (the row's next attempt); anything else
 * that broke an attempt (the database away) waits the shortest retry.
 */
export const mailBackoff =
  (s: Schedule) =>
  (_attemptsMade: number, err: unknown): number =>
    err instanceof MailRetryLater ? Math.max(1, err.retryInMs) : s.retryMinMs;
