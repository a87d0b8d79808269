import { isOutsideFailure } from './failure-cause';

/** The first wait between two tries (then doubling). */
const FIRST_DELAY_MS = 200;

/**
 * Runs `work` again while it fails for a reason outside the job (the database or Redis unreachable
 * or too slow: isOutsideFailure) for up to `budgetMs`, the wait doubling from 200 ms; rejects with
 * what could not be done. For a job's bookkeeping (its record's writes) and the checks a run makes
 * about itself, which a short outage should not turn into a failure.
 */
export async function retryWithin<T>(what: string, budgetMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = FIRST_DELAY_MS; ; delay *= 2) {
    try {
      return await work();
    } catch (e) {
      if (Date.now() + delay > deadline || !isOutsideFailure(e)) throw new Error(`could not ${what}: ${(e as Error).message}`, { cause: e });
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
