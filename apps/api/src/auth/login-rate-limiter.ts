import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { UnavailableCode } from '@vetlab/shared';
import { DomainError, UnavailableError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS, RedisKeys } from '../redis/redis.module';
import { raceTimer } from '../common/deadline';
import { whenSettled } from '../redis/when-settled';

/** A 429 that carries its Retry-After (seconds); the exception filter copies it into the header. */
export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfter: number,
  ) {
    super('rate_limited', message);
  }
}

/** Each address may try this many times the per-account limit: a shared office NAT logs in a lot. */
export const IP_LIMIT_FACTOR = 5;

/** Without its counters nobody is let in unlimited: the login answers 503 instead. */
export const limiterUnavailable = () =>
  new UnavailableError(UnavailableCode.RateLimiter, 'sign-in is unavailable: the login rate limiter (Redis) is unreachable; try again in a moment');

/**
 * Fixed-window counters in Redis, so every API instance shares them. Per account only failures
 * count (a success clears them); per IP every attempt counts, which also slows down spraying one
 * password over many accounts. Unknown emails are counted like real ones: the limiter must not
 * reveal which accounts exist. Redis away or silent: 503 within REDIS_COMMAND_TIMEOUT_MS.
 */
@Injectable()
export class LoginRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts this attempt against the IP; throws RateLimitedError when the IP or the account is over. */
  async admit(email: string, ip: string): Promise<void> {
    const { loginRateLimit: limit, loginRateWindowSeconds: window } = this.config.auth;
    const ipKey = this.ipKey(ip);
    const accountKey = this.accountKey(email);
    // One round trip; EXPIRE NX starts the window at the first attempt and never extends it.
    const replies = await this.call(() => this.redis.multi().incr(ipKey).expire(ipKey, window, 'NX').ttl(ipKey).get(accountKey).ttl(accountKey).exec());
    const [ipCount, , ipTtl, failures, accountTtl] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    });
    if (Number(ipCount) > limit * IP_LIMIT_FACTOR) {
      const wait = retryAfter(ipTtl, window);
      throw new RateLimitedError(`too many login attempts from this address; try again in ${humanize(wait)}`, wait);
    }
    if (Number(failures ?? 0) >= limit) {
      const wait = retryAfter(accountTtl, window);
      throw new RateLimitedError(`too many failed login attempts for this account; try again in ${humanize(wait)}`, wait);
    }
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.accountKey(email);
    await this.call(() => this.redis.multi().incr(key).expire(key, this.config.auth.loginRateWindowSeconds, 'NX').exec());
  }

  /** A successful login forgives the account's earlier typos. */
  async recordSuccess(email: string): Promise<void> {
    await this.call(() => this.redis.del(this.accountKey(email)));
  }

  private call<T>(command: () => Promise<T>): Promise<T> {
    return limiterCall(this.redis, this.config.redis.commandTimeoutMs, limiterUnavailable, command);
  }

  private accountKey(email: string) {
    return this.keys.key('login-failures', 'account', email.toLowerCase());
  }

  private ipKey(ip: string) {
    return this.keys.key('login-attempts', 'ip', ip);
  }
}

/**
 * One round trip to a rate limiter's counters, bounded. A client that is (re)connecting gets the
 * connection's first moments (a request right after boot); one that errors or stays away, or a
 * Redis that does not answer, is `unavailable()` (a 503), never a 500 or a wait.
 */
export async function limiterCall<T>(redis: Redis, timeoutMs: number, unavailable: () => UnavailableError, command: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  try {
    await whenSettled(redis, deadline - Date.now());
    if (redis.status !== 'ready') throw unavailable();
    return await raceTimer(command(), deadline - Date.now(), () => {
      throw unavailable();
    });
  } catch (e) {
    throw e instanceof UnavailableError ? e : unavailable();
  }
}

/**
 * A fixed window per key (the limiter's mechanism): counts this hit in one round trip, EXPIRE NX
 * starting the window at the first hit and never extending it. Returns the count so far and the
 * seconds left of the window.
 */
export async function countHit(redis: Redis, key: string, windowSeconds: number): Promise<{ count: number; retryAfter: number }> {
  const replies = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').ttl(key).exec();
  const [count, , ttl] = (replies ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  return { count: Number(count), retryAfter: retryAfter(ttl, windowSeconds) };
}

/** One address's budget on a public route: at most `limit` hits per `windowSeconds`. */
export interface AddressLimit {
  /** The counters' key space (`<name>:ip:<address>`). */
  name: string;
  limit: number;
  windowSeconds: number;
  /** What is limited, for the 429's message ("password-link attempts"). */
  what: string;
  unavailable: () => UnavailableError;
}

/**
 * Counts a hit of `ip` against `l` (one bounded Redis round trip) and throws a 429 with Retry-After
 * past the budget, a 503 when Redis is away (never unlimited). The public routes' one limiter.
 */
export async function admitAddress(redis: Redis, keys: RedisKeys, timeoutMs: number, l: AddressLimit, ip: string): Promise<void> {
  const key = keys.key(l.name, 'ip', ip);
  const hit = await limiterCall(redis, timeoutMs, l.unavailable, () => countHit(redis, key, l.windowSeconds));
  if (hit.count > l.limit) throw new RateLimitedError(`too many ${l.what} from this address; try again in ${humanize(hit.retryAfter)}`, hit.retryAfter);
}

/** TTL is -1/-2 when the key has no expiry or vanished meanwhile: fall back to the whole window. */
function retryAfter(ttl: unknown, window: number): number {
  const seconds = Number(ttl);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : window;
}

export function humanize(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
