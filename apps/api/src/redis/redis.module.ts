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

/**
 * Socket events a publishing client may hold unanswered at most: a memory bound only. A bulk run
 * announces thousands of notices in one go, and Redis answers them all within milliseconds.
 */
export const MAX_UNANSWERED_EVENTS = 50_000;

/** Redis has answered none of the publishes sent for this long: it is frozen (or the link is dead). */
export const PUBLISH_STALL_MS = 1000;

/**
 * A client that publishes socket events (the emitter, the socket.io adapter's publisher). Events
 * are the fast path and the jobs API is the truth, so while Redis is away, or frozen (its oldest
 * unanswered publish older than PUBLISH_STALL_MS), a publish is dropped at once instead of piling
 * up in the client's queues, and the loss is logged once per outage, not per event; one written
 * just before the connection dropped is not sent again after it reconnects. A burst that Redis
 * answers (thousands of events from one bulk chunk) is never dropped.
 */
export function createPublisher(url: string, name: string): Redis {
  const client = markUnawaited(createRedis(url, name, { forSubscriber: true }));
  const log = new Logger('Redis');
  let dropping = false;
  const flowing = (why: string) => {
    if (dropping) log.log(`${name}: ${why}; socket events flow again`);
    dropping = false;
  };
  client.on('ready', () => flowing('Redis is back'));
  // When each unanswered publish could first have been answered, oldest first (Redis answers in
  // order; a disconnect rejects them all): `sentAt[head]` is the oldest still waiting. A publish is
  // stamped at the next turn of the event loop, not when written: a burst sent in one synchronous
  // loop that outlasts PUBLISH_STALL_MS on a busy machine has had no chance to read a reply yet.
  let sentAt: number[] = [];
  let head = 0;
  let stamping = false;
  const stampTurn = () => {
    stamping = false;
    const t = Date.now();
    for (let i = sentAt.length - 1; i >= head && sentAt[i] === Infinity; i--) sentAt[i] = t;
  };
  const settled = (answered: boolean) => {
    head++;
    if (head === sentAt.length) {
      sentAt = [];
      head = 0;
    }
    if (answered) flowing('Redis answers again');
  };
  // Publishes already written once. One written just before the connection closed is never
  // answered, and ioredis writes it again after reconnecting: by then it is late (the outage's
  // events are dropped, not held), so a second write settles it unsent instead.
  const written = new WeakSet<object>();
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    const [command] = args;
    if (command.name !== 'publish') return send(...args);
    if (written.has(command)) {
      command.resolve(0);
      return command.promise;
    }
    const now = Date.now();
    const waiting = sentAt.length - head;
    // A socket that has ended (its close not handled yet) would send the command to the offline queue.
    const away = client.status !== 'ready' || !client.stream?.writable;
    const stalled = waiting > 0 && now - sentAt[head] > PUBLISH_STALL_MS;
    if (away || stalled || waiting >= MAX_UNANSWERED_EVENTS) {
      if (!dropping) log.warn(`${name}: Redis is away or not answering; socket events are dropped until it is back`);
      dropping = true;
      command.resolve(0); // delivered to nobody
      return command.promise;
    }
    sentAt.push(Infinity);
    if (!stamping) {
      stamping = true;
      setImmediate(stampTurn);
    }
    written.add(command);
    const result = send(...args);
    command.promise.then(
      () => settled(true),
      () => settled(false),
    );
    return result;
  };
  return client;
}

/**
 * Marks every command's promise as handled: callers that do not await (the emitter's publishes,
 * the adapter's (un)subscribes) would otherwise leave rejections unhandled when the app closes
 * right after boot or Redis is away. Callers that await a command still see its error.
 */
export function markUnawaited(client: Redis): Redis {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<Redis['sendCommand']>) => {
    const result = send(...args);
    if (result instanceof Promise) result.catch(() => undefined);
    return result;
  };
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
