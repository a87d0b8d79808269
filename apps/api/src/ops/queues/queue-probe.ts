import { Inject, Injectable } from '@nestjs/common';
import { OpsWorker, QueueCounts, QueueName, values } from '@vetlab/shared';
import type { Queue } from 'bull';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueues } from '../../jobs/job-queues.service';
import { boundedQueueCall } from '../../redis/bounded-queue-call';
import { REDIS, RedisKeys } from '../../redis/redis.module';
import { aliveWorkers, HEARTBEATS_KEY, MISSED_BEATS } from './worker-heartbeats';

/** What Redis says about the queues at one moment. */
export interface QueueSnapshot {
  counts: Record<QueueName, QueueCounts>;
  /** Queues whose Bull paused flag is set (a global pause). */
  paused: Set<QueueName>;
  workers: OpsWorker[];
}

/** Bull's lists and sets behind each count (a paused queue's waiting jobs sit in `paused`). */
const COUNT_KEYS: [keyof QueueCounts, string, 'llen' | 'zcard'][] = [
  ['waiting', 'wait', 'llen'],
  ['active', 'active', 'llen'],
  ['delayed', 'delayed', 'zcard'],
  ['failed', 'failed', 'zcard'],
  ['completed', 'completed', 'zcard'],
  ['paused', 'paused', 'llen'],
];

/** KEYS: src list, dst list, meta-paused, event channel, meta hash; ARGV[1]: 'paused' or 'resumed'. */
const FLIP_SCRIPT = `
local rcall = redis.call
if rcall("EXISTS", KEYS[1]) == 1 then
  if rcall("EXISTS", KEYS[2]) == 0 then
    rcall("RENAME", KEYS[1], KEYS[2])
  else
    while rcall("RPOPLPUSH", KEYS[1], KEYS[2]) do end
  end
end
if ARGV[1] == "paused" then
  rcall("SET", KEYS[3], 1)
  rcall("HSET", KEYS[5], "paused", 1)
else
  rcall("DEL", KEYS[3])
  rcall("HDEL", KEYS[5], "paused")
end
rcall("PUBLISH", KEYS[4], ARGV[1])
return 1
`;

/**
 * The console's view of Redis: every queue's counts, pause flags and the workers' heartbeats in one
 * pipelined round trip (what Bull's getJobCounts and isPaused read, for all queues at once); and
 * Bull's global pause and resume. Fails fast like JobQueues: QUEUE_UNAVAILABLE when Redis is away
 * or does not answer within REDIS_COMMAND_TIMEOUT_MS.
 */
@Injectable()
export class QueueProbe {
  private readonly byName: Record<QueueName, Queue>;

  constructor(
    private readonly queues: JobQueues,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.byName = Object.fromEntries(queues.all().map((q) => [q.name, q])) as Record<QueueName, Queue>;
  }

  /** Whether Redis is connected now (the console still opens without it). */
  ready(): boolean {
    return this.queues.ready() && this.redis.status === 'ready';
  }

  async snapshot(now = Date.now()): Promise<QueueSnapshot> {
    const names = values(QueueName);
    const multi = this.redis.multi();
    for (const q of names) {
      for (const [, key, command] of COUNT_KEYS) multi[command](this.byName[q].toKey(key));
      multi.exists(this.byName[q].toKey('meta-paused'));
    }
    multi.hgetall(this.heartbeatsKey());
    const replies = await this.bounded(() => multi.exec());
    const value = (i: number): unknown => {
      const [error, result] = replies?.[i] ?? [new Error('no reply'), null];
      if (error) throw error;
      return result;
    };
    const counts = {} as Record<QueueName, QueueCounts>;
    const paused = new Set<QueueName>();
    let i = 0;
    for (const q of names) {
      counts[q] = Object.fromEntries(COUNT_KEYS.map(([field]) => [field, Number(value(i++))])) as QueueCounts;
      if (Number(value(i++)) > 0) paused.add(q);
    }
    const { alive } = aliveWorkers((value(i) as Record<string, string> | null) ?? {}, now, this.heartbeatTtlMs());
    return { counts, paused, workers: alive };
  }

  /** Bull's global pause: every worker stops taking this queue's jobs; jobs already running finish. */
  pause(queue: QueueName): Promise<void> {
    return this.flip(queue, true);
  }

  resume(queue: QueueName): Promise<void> {
    return this.flip(queue, false);
  }

  /** Queues whose Bull paused flag is set now. */
  async pausedFlags(): Promise<Set<QueueName>> {
    const names = values(QueueName);
    const multi = this.redis.multi();
    for (const q of names) multi.exists(this.byName[q].toKey('meta-paused'));
    const replies = (await this.bounded(() => multi.exec())) ?? [];
    return new Set(names.filter((_, i) => Number(replies[i]?.[1] ?? 0) > 0));
  }

  /**
   * Bull's own pause script with one difference: when both lists exist (the flag was lost, so new
   * jobs went to `wait` while older ones sat in `paused`), Bull's RENAME would overwrite one list
   * with the other and lose jobs; this moves them over instead, oldest first, so none is lost.
   */
  private flip(queue: QueueName, pause: boolean): Promise<void> {
    const q = this.byName[queue];
    const [src, dst] = pause ? ['wait', 'paused'] : ['paused', 'wait'];
    const keys = [q.toKey(src), q.toKey(dst), q.toKey('meta-paused'), q.toKey(pause ? 'paused' : 'resumed'), q.toKey('meta')];
    return this.bounded(async () => void (await this.redis.eval(FLIP_SCRIPT, keys.length, ...keys, pause ? 'paused' : 'resumed')));
  }

  heartbeatsKey(): string {
    return this.keys.key(...HEARTBEATS_KEY);
  }

  heartbeatTtlMs(): number {
    return this.config.ops.heartbeatMs * MISSED_BEATS;
  }

  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return boundedQueueCall(this.ready(), this.config.redis.commandTimeoutMs, call);
  }
}
