import { EntityManager, LockWaitTimeoutException } from '@mikro-orm/core';
import { insertBatchSize, insertValues, isDatabaseBusy, withBusyRetry } from './database';

const locked = () => Object.assign(new Error('insert into protocol_counters … - database is locked'), { code: 'SQLITE_BUSY' });

describe('withBusyRetry', () => {
  it('runs again while SQLite says the database is locked, then succeeds', async () => {
    const fn = jest.fn().mockRejectedValueOnce(locked()).mockRejectedValueOnce(new LockWaitTimeoutException(locked())).mockResolvedValue('ok');
    await expect(withBusyRetry(fn)).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('gives up after its attempts with the ORM exception the HTTP layer answers with 503', async () => {
    const fn = jest.fn().mockRejectedValue(locked());
    await expect(withBusyRetry(fn, 2)).rejects.toBeInstanceOf(LockWaitTimeoutException);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('lets any other error through at once', async () => {
    const fn = jest.fn().mockRejectedValue(new TypeError('a bug'));
    await expect(withBusyRetry(fn)).rejects.toThrow('a bug');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('knows the busy errors of both layers', () => {
    expect(isDatabaseBusy(locked())).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error('x'), { code: 'SQLITE_BUSY_SNAPSHOT' }))).toBe(true);
    expect(isDatabaseBusy(new Error('duplicate key'))).toBe(false);
    expect(isDatabaseBusy(null)).toBe(false);
  });
});

describe('insertValues', () => {
  /** An em whose connection records each statement and answers it like the driver would. */
  const recording = () => {
    const calls: { sql: string; params: unknown[]; method: string }[] = [];
    const execute = async (sql: string, params: unknown[], method: string) => {
      calls.push({ sql, params, method });
      return method === 'all' ? [{ id: `r${calls.length}` }] : { affectedRows: params.length };
    };
    const em = { getConnection: () => ({ execute }), getTransactionContext: () => undefined } as unknown as EntityManager;
    return { em, calls };
  };

  it('sizes its statements by their bound values', () => {
    expect(insertBatchSize(10)).toBe(2000);
    expect(insertBatchSize(20)).toBe(1500);
    expect(insertBatchSize(0)).toBe(2000);
  });

  it('writes the rows in statements of at most a batch each, values in column order', async () => {
    const { em, calls } = recording();
    const columns = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 2500 }, (_, r) => columns.map((_, c) => r * 100 + c));
    await expect(insertValues(em, 'things', columns, rows, { onConflict: '(c0) do nothing' })).resolves.toEqual([]);
    expect(calls.map((c) => c.params.length)).toEqual([1500 * 20, 1000 * 20]);
    expect(calls.every((c) => c.method === 'run')).toBe(true);
    expect(calls[0].sql.startsWith(`insert into things (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}), (`)).toBe(true);
    expect(calls[0].sql.endsWith(' on conflict (c0) do nothing')).toBe(true);
    expect(calls[1].params.slice(0, 2)).toEqual([150_000, 150_001]);
  });

  it('returns what each statement returned when asked to', async () => {
    const { em, calls } = recording();
    const rows = Array.from({ length: 3000 }, (_, r) => [r]);
    await expect(insertValues(em, 'things', ['id'], rows, { onConflict: '(id) do nothing', returning: 'id' })).resolves.toEqual([{ id: 'r1' }, { id: 'r2' }]);
    expect(calls.map((c) => c.method)).toEqual(['all', 'all']);
    expect(calls[0].sql.endsWith(' on conflict (id) do nothing returning id')).toBe(true);
  });

  it('writes nothing for no rows', async () => {
    const { em, calls } = recording();
    await insertValues(em, 'things', ['id'], []);
    expect(calls).toEqual([]);
  });
});
