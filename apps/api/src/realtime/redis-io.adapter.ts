import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { raceTimer } from '../common/deadline';
import { createPublisher, createRedis, markUnawaited } from '../redis/redis.module';
import { socketIoKey } from './realtime.service';
import { whenSettled } from '../redis/when-settled';

/** socket.io over the Redis adapter: several API instances and the workers' emitter share one bus. */
export class RedisIoAdapter extends IoAdapter {
  private pub?: Redis;
  private sub?: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, { ...options, serveClient: false, path: '/socket.io' });
    this.pub = createPublisher(this.config.redis.url, 'vetlab-io-pub');
    this.sub = markUnawaited(createRedis(this.config.redis.url, 'vetlab-io-sub', { forSubscriber: true }));
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoKey(this.config) }));
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.allSettled([this.pub, this.sub].map((client) => client && closeClient(client)));
  }
}

/**
 * QUIT when connected (flushes what is queued); a client that never connected would wait forever,
 * so it is dropped. One caught mid-handshake (an app closed right after boot) gets a moment to
 * finish: dropping it there leaves ioredis a 2 s timer that keeps the process alive.
 */
async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'connecting' || client.status === 'connect') await whenSettled(client, 1000);
  if (client.status !== 'ready') return client.disconnect();
  const quitted = await raceTimer(
    client.quit().then(() => true, () => false),
    2000,
    () => false,
  );
  if (!quitted) client.disconnect();
}
