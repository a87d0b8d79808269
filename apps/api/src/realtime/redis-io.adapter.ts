import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import { AppConfig } from '../config/app-config';
import { createPublisher, createRedis, markUnawaited } from '../redis/redis.module';
import { socketIoKey } from './realtime.service';

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
  if (client.status === 'connecting' || client.status === 'connect') await settled(client, 1000);
  if (client.status !== 'ready') return client.disconnect();
  let timer: NodeJS.Timeout | undefined;
  const quitted = await Promise.race([
    client.quit().then(() => true, () => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000))),
  ]);
  clearTimeout(timer);
  if (!quitted) client.disconnect();
}

function settled(client: Redis, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const event of ['ready', 'error', 'close']) client.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const event of ['ready', 'error', 'close']) client.once(event, done);
  });
}
