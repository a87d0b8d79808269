/** One item's result in a batch: its value, or the error that refused it alone. */
export type BatchOutcome<O> = { value: O } | { error: unknown };

/**
 * Calls made in the same turn of the event loop, handled together at the next one (setImmediate):
 * requests that arrive together (twenty signers at once) share one transaction or one round trip.
 * `run` answers each item in order; when it throws, every item of that batch is rejected with it.
 */
export class TickBatch<I, O> {
  private pending: { item: I; resolve(value: O): void; reject(e: unknown): void }[] = [];

  constructor(private readonly run: (items: I[]) => Promise<BatchOutcome<O>[]>) {}

  push(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ item, resolve, reject }) === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush() {
    const batch = this.pending;
    this.pending = [];
    try {
      const outcomes = await this.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        const o = outcomes[i];
        if ('error' in o) p.reject(o.error);
        else p.resolve(o.value);
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}
