import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { countHit, humanize, IP_LIMIT_FACTOR, limiterCall, limiterUnavailable, RateLimitedError } from '../auth/login-rate-limiter';
import { REDIS, RedisKeys } from '../redis/redis.module';

/**
 * The public password-link routes, limited per client address like the login (the same budget:
 * LOGIN_RATE_LIMIT × the per-address factor per LOGIN_RATE_WINDOW_SECONDS): guessing tokens is as
 * slow as guessing passwords. Redis away: 503, never unlimited.
 */
@Injectable()
export class PasswordLinkRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async admit(ip: string): Promise<void> {
    const { loginRateLimit: limit, loginRateWindowSeconds: window } = this.config.auth;
    const key = this.keys.key('password-link-attempts', 'ip', ip);
    const hit = await limiterCall(this.redis, this.config.redis.commandTimeoutMs, limiterUnavailable, () => countHit(this.redis, key, window));
    if (hit.count > limit * IP_LIMIT_FACTOR) {
      throw new RateLimitedError(`too many password-link attempts from this address; try again in ${humanize(hit.retryAfter)}`, hit.retryAfter);
    }
  }
}
