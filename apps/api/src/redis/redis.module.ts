import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisDurabilityCheck } from './redis-durability';

export const REDIS = Symbol('REDIS');

/** Builds a client that fails fast instead of queueing commands forever when Redis is away. */
export function createRedis(url: string, name: string, opts: { forSubscriber?: boolean } = {}): Redis {
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    // Commands issued while connecting wait for the connection; with Redis away they fail after
    // one reconnect attempt instead of queueing forever (subscribers wait: they must not give up).
    enableOfflineQueue: true,
    maxRetriesPerRequest: opts.forSubscriber ? null : 1,
    disconnectTimeout: 200,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', (e) => new Logger('Redis').warn(`${name}: ${e.message}`));
  return client;
}

/** Keys of this deployment (or test file) live under one prefix. */
@Injectable()
export class RedisKeys {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}
  key(...parts: string[]): string {
    return [this.config.redis.prefix, ...parts].join(':');
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createRedis(c.redis.url, 'vetlab') },
    RedisKeys,
    RedisCloser,
    { provide: RedisDurabilityCheck, inject: [REDIS, APP_CONFIG], useFactory: (r: Redis, c: AppConfig) => new RedisDurabilityCheck(r, c) },
  ],
  exports: [REDIS, RedisKeys, RedisDurabilityCheck],
})
export class RedisModule {}
