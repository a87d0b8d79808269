import { installRedisRejectionGuard, isRedisUnreachable } from './redis-rejection-guard';

describe('Redis rejection guard', () => {
  const log = { warn: jest.fn(), error: jest.fn() };
  const exit = jest.fn();
  let handler: (reason: unknown) => void;

  beforeEach(() => {
    jest.clearAllMocks();
    handler = installRedisRejectionGuard(log as never, exit);
  });
  afterEach(() => process.off('unhandledRejection', handler));

  it('recognizes what ioredis and Bull raise while Redis is away', () => {
    expect(isRedisUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRedisUnreachable(new Error('Connection is closed.'))).toBe(true);
    expect(isRedisUnreachable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isRedisUnreachable(new TypeError('cannot read properties of undefined'))).toBe(false);
  });

  it('logs a Redis outage and keeps the process; anything else ends it', () => {
    handler(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('Redis is unreachable'));
    expect(exit).not.toHaveBeenCalled();
    handler(new TypeError('a bug'));
    expect(log.error).toHaveBeenCalledWith(expect.stringContaining('a bug'));
    expect(exit).toHaveBeenCalledWith(1);
  });
});
