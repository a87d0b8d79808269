import type { ClientToServerEvents, ServerToClientEvents } from '@vetlab/shared';
import { io, Socket } from 'socket.io-client';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/api-client';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** `reconnecting`: it was live and lost the server (a deploy, a network cut); socket.io tries again by itself. */
export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * The typed socket. `auth` is a function so every (re)connection sends the token current at
 * that moment, not the one the page started with.
 */
export function createLiveSocket(getToken: () => string | null): LiveSocket {
  return io({
    path: '/socket.io',
    transports: ['websocket'],
    autoConnect: false,
    auth: (cb) => cb({ token: getToken() }),
  });
}

/**
 * Keeps one socket open while there is a session. A refused handshake (expired token) gets one
 * refresh and one more try; the server ending the session (logout elsewhere, deactivation) ends it here.
 */
export function useLiveSocket(client: ApiClient, enabled: boolean): { socket: LiveSocket | null; status: LiveStatus } {
  const [socket, setSocket] = useState<LiveSocket | null>(null);
  const [status, setStatus] = useState<LiveStatus>('disconnected');

  useEffect(() => {
    if (!enabled) return;
    const s = createLiveSocket(() => client.token);
    let retried = false;
    const retryWithFreshToken = async () => {
      if (retried) return setStatus('disconnected');
      retried = true;
      setStatus('connecting');
      if (await client.refresh().catch(() => null)) s.connect();
      else setStatus('disconnected');
    };
    s.on('connect', () => {
      retried = false;
      setStatus('connected');
    });
    s.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') void retryWithFreshToken();
      else setStatus(reason === 'io client disconnect' ? 'disconnected' : 'reconnecting');
    });
    s.on('connect_error', () => {
      // socket.io retries transport errors by itself; a refused handshake is final until we act.
      if (s.active) setStatus((now) => (now === 'reconnecting' ? now : 'connecting'));
      else void retryWithFreshToken();
    });
    // The server says it is stopping (a deploy) just before it closes the socket.
    s.on('server:restarting', () => setStatus('reconnecting'));
    s.on('session:ended', () => client.expire());
    setStatus('connecting');
    setSocket(s);
    s.connect();
    return () => {
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
      setStatus('disconnected');
    };
  }, [client, enabled]);

  return { socket, status };
}
