import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import type { DependencyHealth, HealthView } from '@vetlab/shared';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RedisDurabilityCheck } from '../redis/redis-durability';
import { FILE_STORAGE, FileStorage } from '../storage/file-storage';
import { REDIS } from '../redis/redis.module';
import { raceTimer } from '../common/deadline';
import { whenSettled } from '../redis/when-settled';
import { dataDiskSpace } from './disk-space';

/** Each dependency gets this long; a probe must never hang the endpoint (load balancers time out). */
export const PROBE_TIMEOUT_MS = 1500;

/** Runs a probe against a deadline and reports its latency or why it failed. */
export async function probe(check: () => Promise<unknown>, timeoutMs = PROBE_TIMEOUT_MS): Promise<DependencyHealth> {
  const started = performance.now();
  try {
    await raceTimer(check(), timeoutMs, () => {
      throw new Error(`no answer within ${timeoutMs} ms`);
    });
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (e) {
    return { ok: false, latencyMs: null, error: (e as Error)?.message ?? String(e) };
  }
}

@Injectable()
export class HealthService {
  constructor(
    private readonly orm: MikroORM,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly durability: RedisDurabilityCheck,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  async check(): Promise<HealthView> {
    const [database, redis, storage] = await Promise.all([
      probe(() => this.orm.em.getConnection().execute('select 1')),
      probe(() => this.pingRedis()),
      probe(() => this.storage.probe()),
    ]);
    return {
      status: database.ok && redis.ok && storage.ok ? 'ok' : 'down',
      role: this.config.role,
      database: { ...database, driver: this.config.database.driver },
      redis: { ...redis, durability: this.durability.current },
      storage: { ...storage, kind: this.storage.kind },
      disk: dataDiskSpace(this.config),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }

  /**
   * The shared client refuses commands while (re)connecting (no offline queue, so requests fail
   * fast); right after boot or a Redis restart, wait for it to be ready rather than report it down.
   */
  private async pingRedis(): Promise<string> {
    if (this.redis.status !== 'ready' && this.redis.status !== 'end') {
      // Bounded too, so that frequent probes against a silent host do not pile up listeners.
      await whenSettled(this.redis, PROBE_TIMEOUT_MS);
    }
    return this.redis.ping();
  }
}
