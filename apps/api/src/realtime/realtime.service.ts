import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import { ServerToClientEvents } from '@vetlab/shared';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { createPublisher } from '../redis/redis.module';

export const socketIoKey = (config: AppConfig) => `${config.redis.prefix}:socket.io`;

/**
 * Pushes events to browsers from any process (API or worker) through Redis: the emitter publishes,
 * every API instance's Redis adapter delivers to its sockets. A failed broadcast is logged, never
 * thrown, and with Redis away events are dropped, not held: events are the fast path, the jobs API
 * is the truth.
 */
@Injectable()
export class RealtimeService implements OnApplicationShutdown {
  private readonly log = new Logger(RealtimeService.name);
  private readonly redis: Redis;
  private readonly emitter: Emitter<ServerToClientEvents>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createPublisher(config.redis.url, 'vetlab-emitter');
    this.emitter = new Emitter<ServerToClientEvents>(this.redis, { key: socketIoKey(config) });
  }

  emit<E extends keyof ServerToClientEvents>(roomList: string[], event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    if (!roomList.length) return;
    try {
      this.emitter.to(roomList).emit(event, ...args);
    } catch (e) {
      this.log.warn(`broadcast of ${String(event)} failed: ${(e as Error).message}`);
    }
  }

  /** Ends every socket in the rooms, on every API instance (logout, deactivation). */
  disconnect(roomList: string[]): void {
    try {
      this.emitter.in(roomList).disconnectSockets(true);
    } catch (e) {
      this.log.warn(`disconnect failed: ${(e as Error).message}`);
    }
  }

  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
