import type Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { UnavailableError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../redis/redis.module';
import { LoginRateLimiter, RateLimitedError } from './login-rate-limiter';

/** Just the ioredis commands the limiter uses, in memory, with a clock the test moves. */
class FakeRedis {
  status = 'ready';
  now = 0;
  readonly store = new Map<string, { value: number; expiresAt: number | null }>();

  private live(key: string) {
    const e = this.store.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= this.now) this.store.delete(key);
    return this.store.get(key);
  }
  incr(key: string) {
    const e = this.live(key) ?? { value: 0, expiresAt: null };
    e.value += 1;
    this.store.set(key, e);
    return e.value;
  }
  expire(key: string, seconds: number, mode?: 'NX') {
    const e = this.live(key);
    if (!e || (mode === 'NX' && e.expiresAt !== null)) return 0;
    e.expiresAt = this.now + seconds * 1000;
    return 1;
  }
  ttl(key: string) {
    const e = this.live(key);
    if (!e) return -2;
    return e.expiresAt === null ? -1 : Math.ceil((e.expiresAt - this.now) / 1000);
  }
  get(key: string) {
    const e = this.live(key);
    return e ? String(e.value) : null;
  }
  async del(key: string) {
    return this.store.delete(key) ? 1 : 0;
  }
  multi() {
    const ops: (() => unknown)[] = [];
    const chain = {
      incr: (k: string) => (ops.push(() => this.incr(k)), chain),
      expire: (k: string, s: number, m?: 'NX') => (ops.push(() => this.expire(k, s, m)), chain),
      ttl: (k: string) => (ops.push(() => this.ttl(k)), chain),
      get: (k: string) => (ops.push(() => this.get(k)), chain),
      exec: async () => ops.map((op) => [null, op()] as [null, unknown]),
    };
    return chain;
  }
}

function setup(limit = 3, window = 60) {
  const redis = new FakeRedis();
  const config = { redis: { prefix: 'unit', commandTimeoutMs: 200 }, auth: { loginRateLimit: limit, loginRateWindowSeconds: window } } as AppConfig;
  const sut = new LoginRateLimiter(redis as unknown as Redis, new RedisKeys(config), config);
  return { sut, redis };
}

async function failures(sut: LoginRateLimiter, email: string, ip: string, n: number) {
  for (let i = 0; i < n; i++) {
    await sut.admit(email, ip);
    await sut.recordFailure(email);
  }
}

describe('LoginRateLimiter', () => {
  it('admits up to the limit of failures per account, then refuses with the time left', async () => {
    const { sut, redis } = setup(3, 60);
    await failures(sut, 'a@x.test', '10.0.0.1', 3);
    redis.now += 20_000;
    const err = await sut.admit('a@x.test', '10.0.0.2').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfter).toBe(40);
    expect(err.message).toMatch(/account/);
  });

  it('counts accounts case-insensitively and keeps them apart', async () => {
    const { sut } = setup(2);
    await failures(sut, 'A@x.test', '10.0.0.1', 2);
    await expect(sut.admit('a@x.test', '10.0.0.1')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(sut.admit('b@x.test', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('a success clears the account failures', async () => {
    const { sut } = setup(3);
    await failures(sut, 'a@x.test', '10.0.0.1', 2);
    await sut.recordSuccess('a@x.test');
    await failures(sut, 'a@x.test', '10.0.0.1', 2);
    await expect(sut.admit('a@x.test', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('limits every attempt per IP to five times the account limit', async () => {
    const { sut } = setup(2);
    for (let i = 0; i < 10; i++) await sut.admit(`user${i}@x.test`, '10.0.0.9');
    const err = await sut.admit('someone@x.test', '10.0.0.9').catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.message).toMatch(/address/);
    await expect(sut.admit('someone@x.test', '10.0.0.10')).resolves.toBeUndefined();
  });

  it('opens again when the window passes, and does not extend the window on later attempts', async () => {
    const { sut, redis } = setup(1, 60);
    await failures(sut, 'a@x.test', '10.0.0.1', 1);
    redis.now += 59_000;
    await expect(sut.admit('a@x.test', '10.0.0.1')).rejects.toMatchObject({ retryAfter: 1 });
    redis.now += 1_000;
    await expect(sut.admit('a@x.test', '10.0.0.1')).resolves.toBeUndefined();
  });

  it('prefixes its keys', async () => {
    const { sut, redis } = setup();
    await failures(sut, 'a@x.test', '10.0.0.1', 1);
    expect([...redis.store.keys()].every((k) => k.startsWith('unit:'))).toBe(true);
  });

  it('answers 503 RATE_LIMITER_UNAVAILABLE, never lets the login through, when Redis is reconnecting and stays away', async () => {
    const { sut, redis } = setup();
    const events = new EventEmitter();
    Object.assign(redis, { status: 'reconnecting', once: events.once.bind(events), off: events.off.bind(events) });
    const started = Date.now();
    const err = await sut.admit('a@x.test', '10.0.0.1').catch((e) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ service: 'RATE_LIMITER_UNAVAILABLE', code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events.listenerCount('ready') + events.listenerCount('error')).toBe(0);
  });

  it('answers 503 when Redis takes the command and never answers (frozen)', async () => {
    const { sut, redis } = setup();
    redis.multi = () => ({ incr: () => redis.multi(), expire: () => redis.multi(), ttl: () => redis.multi(), get: () => redis.multi(), exec: () => new Promise(() => undefined) }) as never;
    await expect(sut.admit('a@x.test', '10.0.0.1')).rejects.toBeInstanceOf(UnavailableError);
    await expect(sut.recordFailure('a@x.test')).rejects.toBeInstanceOf(UnavailableError);
  });
});
