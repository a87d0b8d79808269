import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DomainError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS, RedisKeys } from '../redis/redis.module';

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
const READY_TIMEOUT_MS = 3000;

/**
 * Fixed-window counters in Redis, so every API instance shares them. Per account only failures
 * count (a success clears them); per IP every attempt counts, which also slows down spraying one
 * password over many accounts. Unknown emails are counted like real ones: the limiter must not
 * reveal which accounts exist.
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
    await this.ready();
    // One round trip; EXPIRE NX starts the window at the first attempt and never extends it.
    const replies = await this.redis
      .multi()
      .incr(ipKey)
      .expire(ipKey, window, 'NX')
      .ttl(ipKey)
      .get(accountKey)
      .ttl(accountKey)
      .exec();
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
    await this.redis.multi().incr(key).expire(key, this.config.auth.loginRateWindowSeconds, 'NX').exec();
  }

  /** A successful login forgives the account's earlier typos. */
  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  /**
   * The shared client refuses commands while (re)connecting (no offline queue); a login right
   * after boot waits briefly for the connection instead of failing.
   */
  private async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => done();
      const timer = setTimeout(() => done(new Error(`Redis not ready (${this.redis.status})`)), READY_TIMEOUT_MS);
      this.redis.once('ready', onReady);
    });
  }

  private accountKey(email: string) {
    return this.keys.key('login-failures', 'account', email.toLowerCase());
  }

  private ipKey(ip: string) {
    return this.keys.key('login-attempts', 'ip', ip);
  }
}

/** TTL is -1/-2 when the key has no expiry or vanished meanwhile: fall back to the whole window. */
function retryAfter(ttl: unknown, window: number): number {
  const seconds = Number(ttl);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : window;
}

function humanize(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
