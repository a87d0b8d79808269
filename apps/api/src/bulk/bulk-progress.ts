import { BulkProgressEvent } from '@vetlab/shared';
import { BulkRun } from './bulk-run.entity';

/** At most one progress event per interval (5 per second by default); the last one always goes. */
export class ProgressThrottle {
  private last = -Infinity;

  constructor(
    private readonly intervalMs = 200,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when an event may go now (and counts it as sent). */
  take(force = false): boolean {
    const t = this.now();
    if (!force && t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }
}

export const doneOf = (r: Pick<BulkRun, 'succeeded' | 'skipped' | 'failed' | 'cancelled'>) => r.succeeded + r.skipped + r.failed + r.cancelled;

/** Seconds left at the pace since the run started; null before any progress or once nothing is left. */
export function etaSeconds(done: number, total: number, startedAt: Date | null, now = Date.now()): number | null {
  if (!startedAt || done <= 0 || done >= total) return null;
  const elapsed = (now - startedAt.getTime()) / 1000;
  if (elapsed <= 0) return null;
  return Math.ceil(((total - done) * elapsed) / done);
}

export function progressEvent(r: BulkRun, now = Date.now()): BulkProgressEvent {
  const done = doneOf(r);
  return { bulkId: r.id, done, total: r.total, succeeded: r.succeeded, skipped: r.skipped, failed: r.failed, etaSeconds: etaSeconds(done, r.total, r.startedAt, now) };
}
