/** Polls until `check` returns something truthy (and returns it), or fails naming what it waited for. */
export async function waitUntil<T>(check: () => T | Promise<T>, opts: { ms?: number; every?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const { ms = 15_000, every = 25, what = 'condition' } = opts;
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}
