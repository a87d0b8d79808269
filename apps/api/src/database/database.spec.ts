import { LockWaitTimeoutException } from '@mikro-orm/core';
import { isDatabaseBusy, withBusyRetry } from './database';

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
