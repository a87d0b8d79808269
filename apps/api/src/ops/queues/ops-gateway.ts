import { Logger } from '@nestjs/common';
import { ConnectedSocket, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { OpsOverview, Role, rooms } from '@vetlab/shared';
import type { VetlabServer, VetlabSocket } from '../../realtime/realtime.gateway';
import { OpsOverviewService } from './ops-overview.service';

/**
 * API role: admins' consoles ask for the live overview. It shares the socket.io server (and its
 * authentication) of RealtimeGateway; it only adds `ops:watch` (admins join the `ops` room and get
 * the overview at once; anyone else is ignored) and `ops:unwatch`. OpsTicker keeps them updated.
 */
@WebSocketGateway()
export class OpsGateway {
  private readonly log = new Logger(OpsGateway.name);

  @WebSocketServer()
  server!: VetlabServer;

  constructor(private readonly overview: OpsOverviewService) {}

  @SubscribeMessage('ops:watch')
  async watch(@ConnectedSocket() socket: VetlabSocket): Promise<void> {
    if (socket.data.user?.role !== Role.Admin) return;
    await socket.join(rooms.ops);
    try {
      socket.emit('ops:overview', await this.overview.get());
    } catch (e) {
      this.log.warn(`ops:overview not sent: ${(e as Error).message}`);
    }
  }

  @SubscribeMessage('ops:unwatch')
  async unwatch(@ConnectedSocket() socket: VetlabSocket): Promise<void> {
    await socket.leave(rooms.ops);
  }

  /** Sockets of this process watching the console (the Redis adapter's rooms are this process's own). */
  localWatchers(): number {
    return this.server?.of('/').adapter.rooms.get(rooms.ops)?.size ?? 0;
  }

  /** To this process's watching sockets only: every API process serves its own, so none is sent twice. */
  emitLocal(overview: OpsOverview): void {
    this.server.local.to(rooms.ops).emit('ops:overview', overview);
  }
}
