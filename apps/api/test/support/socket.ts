import { ClientToServerEvents, ServerToClientEvents } from '@vetlab/shared';
import { io, ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import { TestApp } from './test-app';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const WAIT_MS = 5000;

/** Keeps every socket a test opened, so afterAll can close them all (jest must exit cleanly). */
export class SocketPool {
  private readonly sockets = new Set<ClientSocket>();

  /** A socket that either connected or failed its handshake; never reconnects by itself. */
  async open(t: Pick<TestApp, 'url'>, opts: Partial<ManagerOptions & SocketOptions> = {}): Promise<{ socket: ClientSocket; error: Error | null }> {
    const socket: ClientSocket = io(t.url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: WAIT_MS, ...opts });
    this.sockets.add(socket);
    const error = await new Promise<Error | null>((resolve) => {
      const timer = setTimeout(() => resolve(new Error('socket neither connected nor failed in time')), WAIT_MS);
      socket.once('connect', () => (clearTimeout(timer), resolve(null)));
      socket.once('connect_error', (e) => (clearTimeout(timer), resolve(e)));
    });
    return { socket, error };
  }

  /** A connected socket authenticated with the access token, or a failing test. */
  async connect(t: Pick<TestApp, 'url'>, token: string): Promise<ClientSocket> {
    const { socket, error } = await this.open(t, { auth: { token } });
    if (error) throw new Error(`socket failed to connect: ${error.message}`);
    return socket;
  }

  closeAll(): void {
    for (const s of this.sockets) s.disconnect();
    this.sockets.clear();
  }
}

/** Resolves with the event's first argument, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E, ms = WAIT_MS): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, handler as never);
  });
}

/** Resolves with the reason once the socket is disconnected, or rejects after `ms`. */
export function disconnected(socket: ClientSocket, ms = WAIT_MS): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => (clearTimeout(timer), resolve(reason)));
  });
}

/** Collects every payload of an event from now on (to assert later that something never came). */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

export function whoami(socket: ClientSocket, ms = WAIT_MS): Promise<string[]> {
  return socket.timeout(ms).emitWithAck('whoami');
}
