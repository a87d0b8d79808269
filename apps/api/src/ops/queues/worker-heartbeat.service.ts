import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { QueueName, values } from '@vetlab/shared';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { dataDiskSpace } from '../../health/disk-space';
import { REDIS, RedisKeys } from '../../redis/redis.module';
import { aliveWorkers, Heartbeat, HEARTBEATS_KEY, MISSED_BEATS } from './worker-heartbeats';

/**
 * Worker role: this process reports itself to the console every OPS_HEARTBEAT_MS, in one Redis
 * hash under the deployment's prefix (id → report). A report older than three beats no longer
 * counts; the writer removes such reports of dead workers. A graceful stop removes its own at once.
 * Redis away: the beat is skipped (logged once) and the next one tries again.
 */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(WorkerHeartbeat.name);
  private readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.ops.heartbeatMs).unref();
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.redis.status === 'ready') await this.redis.hdel(this.key(), this.id).catch(() => undefined);
  }

  private async beat() {
    if (this.redis.status !== 'ready') return;
    const now = Date.now();
    const ttl = this.config.ops.heartbeatMs * MISSED_BEATS;
    const report: Heartbeat = {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      // Every worker process runs a processor for every kind (JobWorkers refuses to start otherwise).
      queues: values(QueueName),
      renderThreads: this.config.pdf.renderThreads,
      disk: dataDiskSpace(this.config),
      startedAt: this.startedAt,
      lastSeenAt: now,
    };
    try {
      const { stale } = aliveWorkers(await this.redis.hgetall(this.key()), now, ttl);
      const multi = this.redis.multi().hset(this.key(), this.id, JSON.stringify(report)).pexpire(this.key(), ttl);
      if (stale.length) multi.hdel(this.key(), ...stale);
      await multi.exec();
      if (this.failing) this.log.log('heartbeat written again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.log.warn(`heartbeat not written: ${(e as Error).message}`);
      this.failing = true;
    }
  }

  private key(): string {
    return this.keys.key(...HEARTBEATS_KEY);
  }
}
