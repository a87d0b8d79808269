import { TickBatch } from './tick-batch';

describe('TickBatch', () => {
  it('handles the calls of one turn of the event loop together, and each caller gets its own outcome', async () => {
    const runs: number[][] = [];
    const batch = new TickBatch<number, string>(async (items) => {
      runs.push(items);
      return items.map((n) => (n < 0 ? { error: new Error(`refused ${n}`) } : { value: `ok ${n}` }));
    });
    const first = await Promise.allSettled([batch.push(1), batch.push(-2), batch.push(3)]);
    const second = await batch.push(4);
    expect(runs).toEqual([[1, -2, 3], [4]]);
    expect(first).toEqual([
      { status: 'fulfilled', value: 'ok 1' },
      { status: 'rejected', reason: new Error('refused -2') },
      { status: 'fulfilled', value: 'ok 3' },
    ]);
    expect(second).toBe('ok 4');
  });

  it('rejects every call of a batch whose run fails, and starts afresh with the next', async () => {
    let fail = true;
    const batch = new TickBatch<number, number>(async (items) => {
      if (fail) throw new Error('database is locked');
      return items.map((n) => ({ value: n * 2 }));
    });
    const failed = await Promise.allSettled([batch.push(1), batch.push(2)]);
    expect(failed.map((o) => o.status === 'rejected' && (o.reason as Error).message)).toEqual(['database is locked', 'database is locked']);
    fail = false;
    expect(await Promise.all([batch.push(5), batch.push(6)])).toEqual([10, 12]);
  });
});
