import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { UnavailableCode } from '@vetlab/shared';
import { UnavailableError } from '../common/domain-error';
import { admitAddress } from '../auth/login-rate-limiter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { REDIS, RedisKeys } from '../redis/redis.module';

const unavailable = () =>
  new UnavailableError(UnavailableCode.RateLimiter, 'verification is unavailable: its rate limiter (Redis) is unreachable; try again in a moment');

/**
 * The public verification page's limit: VERIFY_RATE_LIMIT lookups per client address in a fixed
 * window, counted in Redis like the login's (every API instance shares them). Every lookup counts,
 * found or not, so trying codes costs the same as reading real ones.
 */
@Injectable()
export class VerifyRateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  admit(ip: string): Promise<void> {
    const { rateLimit, rateWindowSeconds } = this.config.verify;
    return admitAddress(
      this.redis,
      this.keys,
      this.config.redis.commandTimeoutMs,
      { name: 'verify-lookups', limit: rateLimit, windowSeconds: rateWindowSeconds, what: 'verification lookups', unavailable },
      ip,
    );
  }
}
