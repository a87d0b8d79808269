import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { admitAddress, IP_LIMIT_FACTOR, limiterUnavailable } from '../auth/login-rate-limiter';
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

  admit(ip: string): Promise<void> {
    const { loginRateLimit, loginRateWindowSeconds } = this.config.auth;
    return admitAddress(
      this.redis,
      this.keys,
      this.config.redis.commandTimeoutMs,
      { name: 'password-link-attempts', limit: loginRateLimit * IP_LIMIT_FACTOR, windowSeconds: loginRateWindowSeconds, what: 'password-link attempts', unavailable: limiterUnavailable },
      ip,
    );
  }
}
