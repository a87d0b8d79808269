import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { OpsOverview } from '@vetlab/shared';
import { useEffect, useMemo } from 'react';
import { useLive, useLiveEvent } from '../app/live';
import { useApi } from '../app/providers';
import { latestThrottle } from './latest-throttle';
import { getOverview, opsKeys } from './ops-api';

/**
 * The console's overview: fetched once when the page opens (and again after a reconnection, when
 * LiveProvider refetches everything on screen), then kept current by `ops:overview` events, which
 * this tab asks for with `ops:watch` while mounted. No polling. Events go through a throttle, so a
 * burst costs at most one render per frame and five a second.
 */
export function useOpsOverview() {
  const api = useApi();
  const qc = useQueryClient();
  const { socket, status } = useLive();
  const query = useQuery({ queryKey: opsKeys.overview, queryFn: () => getOverview(api), staleTime: Infinity, refetchOnWindowFocus: false });

  const throttle = useMemo(
    () =>
      latestThrottle<OpsOverview>(
        // A late snapshot (from a slower API process) never replaces a newer one.
        (next) => qc.setQueryData<OpsOverview>(opsKeys.overview, (now) => (now && now.at > next.at ? now : next)),
      ),
    [qc],
  );
  useEffect(() => () => throttle.cancel(), [throttle]);
  useLiveEvent('ops:overview', (o) => throttle.push(o));

  // Joined on every (re)connection: a new connection is a new socket on the server, in no room yet.
  useEffect(() => {
    if (!socket || status !== 'connected') return;
    socket.emit('ops:watch');
    return () => {
      // A disconnected socket is forgotten by the server anyway; a buffered unwatch would only arrive late.
      if (socket.connected) socket.emit('ops:unwatch');
    };
  }, [socket, status]);

  return query;
}

/** A string that changes when any queue's counts change: lists on screen refetch when it does. */
export const countsSignature = (o: OpsOverview | undefined): string =>
  o ? o.queues.map((q) => `${q.queue}:${Object.values(q.counts).join(',')}:${q.stuck}`).join('|') : '';
