import { Logger } from '@nestjs/common';
import { ConnectedSocket, OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { ClientToServerEvents, Role, rooms, ServerToClientEvents } from '@vetlab/shared';
import type { Server, Socket } from 'socket.io';
import { AuthUser } from '../auth/auth-user';
import { bearerToken } from '../auth/jwt-auth.guard';
import { UserLookupService } from '../auth/user-lookup.service';

export interface SocketData {
  user: AuthUser;
}
export type VetlabServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type VetlabSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The rooms a user's sockets belong to; events are only ever emitted to rooms, never broadcast. */
export function roomsFor(user: AuthUser): string[] {
  const list = [rooms.user(user.id), rooms.role(user.role)];
  if (user.role === Role.Vet && user.clinicId) list.push(rooms.clinic(user.clinicId));
  return list;
}

/**
 * Browsers' live channel on the default namespace of the HTTP port. Sockets authenticate with the
 * REST access token, in a middleware so that an unauthenticated socket never connects at all.
 * Events reach sockets through the Redis adapter, from this process or any worker's emitter.
 */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<VetlabServer> {
  private readonly log = new Logger(RealtimeGateway.name);

  @WebSocketServer()
  server!: VetlabServer;

  constructor(private readonly users: UserLookupService) {}

  afterInit(server: VetlabServer) {
    server.use((socket, next) => {
      this.users
        .fromToken(tokenOf(socket))
        .then((user) => {
          if (!user) return next(new Error('unauthorized'));
          socket.data.user = user;
          // Joined before the connection completes, so no event emitted after `connect` is missed.
          void socket.join(roomsFor(user));
          next();
        })
        .catch((e: Error) => {
          this.log.warn(`socket authentication failed: ${e.message}`);
          next(new Error('unauthorized'));
        });
    });
  }

  /** Round-trip check for clients and tests: the rooms this socket is in. */
  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() socket: VetlabSocket): string[] {
    return [...socket.rooms].filter((room) => room !== socket.id);
  }
}

function tokenOf(socket: VetlabSocket): string | null {
  const auth: unknown = socket.handshake.auth?.token;
  if (typeof auth === 'string' && auth) return auth;
  return bearerToken(socket.handshake.headers.authorization);
}
