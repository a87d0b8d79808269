import { useQueryClient } from '@tanstack/react-query';
import type { ServerToClientEvents } from '@vetlab/shared';
import { createContext, ReactNode, useContext, useEffect, useRef } from 'react';
import { LiveSocket, LiveStatus, useLiveSocket } from '../realtime/live-socket';
import { useApi, useSession } from './providers';

/** Exported for tests, which provide a fake socket. */
export const LiveContext = createContext<{ socket: LiveSocket | null; status: LiveStatus }>({ socket: null, status: 'disconnected' });

/** One socket per signed-in tab; server events refresh the cached data they concern. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const session = useSession();
  const live = useLiveSocket(api, session !== null);
  const qc = useQueryClient();

  useEffect(() => {
    const s = live.socket;
    if (!s) return;
    const onProtocol: ServerToClientEvents['protocol:updated'] = () => {
      void qc.invalidateQueries({ queryKey: ['protocols'] });
    };
    s.on('protocol:updated', onProtocol);
    // After a reconnect, events may have been missed: refetch what is on screen.
    const onConnect = () => void qc.invalidateQueries();
    s.io.on('reconnect', onConnect);
    return () => {
      s.off('protocol:updated', onProtocol);
      s.io.off('reconnect', onConnect);
    };
  }, [live.socket, qc]);

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

export const useLive = () => useContext(LiveContext);

/** Subscribes a component to one server event while it is mounted. */
export function useLiveEvent<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): void {
  const { socket } = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const fn = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (ref.current as (...a: Parameters<ServerToClientEvents[E]>) => void)(...args)) as ServerToClientEvents[E];
    // socket.io's typed overloads do not narrow over a generic event name.
    (socket.on as (e: E, f: ServerToClientEvents[E]) => void)(event, fn);
    return () => {
      (socket.off as (e: E, f: ServerToClientEvents[E]) => void)(event, fn);
    };
  }, [socket, event]);
}
