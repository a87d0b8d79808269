import { QueueMinute, QueueName, values } from '@vetlab/shared';

export const MINUTE_MS = 60_000;
/** Minutes a queue card charts. */
export const LAST_HOUR_MINUTES = 60;

/** One finished piece of work of a queue: when it ended, whether it failed, and how long it took from queued to done. */
export interface FinishedWork {
  queue: QueueName;
  finishedAt: number;
  failed: boolean;
  ms: number;
}

/** Start of the oldest minute charted at `now` (the current minute is the newest). */
export function lastHourStart(now: number): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS - (LAST_HOUR_MINUTES - 1) * MINUTE_MS;
}

/** Nearest-rank percentile of ascending values (null for none). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Every queue's last hour, oldest minute first, one entry per minute (empty minutes included):
 * how many finished, how many of those failed, and the p50/p95 of their time to done. Work outside
 * the hour is ignored.
 */
export function lastHour(work: readonly FinishedWork[], now: number): Record<QueueName, QueueMinute[]> {
  const start = lastHourStart(now);
  const durations = new Map<QueueName, number[][]>(values(QueueName).map((q) => [q, Array.from({ length: LAST_HOUR_MINUTES }, () => [])]));
  const failed = new Map<QueueName, number[]>(values(QueueName).map((q) => [q, new Array<number>(LAST_HOUR_MINUTES).fill(0)]));
  for (const w of work) {
    const i = Math.floor((w.finishedAt - start) / MINUTE_MS);
    if (i < 0 || i >= LAST_HOUR_MINUTES) continue;
    durations.get(w.queue)?.[i].push(Math.max(0, w.ms));
    if (w.failed) failed.get(w.queue)![i]++;
  }
  const out = {} as Record<QueueName, QueueMinute[]>;
  for (const q of values(QueueName)) {
    out[q] = durations.get(q)!.map((ms, i) => {
      const sorted = ms.sort((a, b) => a - b);
      return { at: new Date(start + i * MINUTE_MS).toISOString(), done: sorted.length, failed: failed.get(q)![i], p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
    });
  }
  return out;
}
