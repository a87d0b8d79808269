import type Redis from 'ioredis';

/**
 * Resolves once the client is ready, has failed a connection attempt, or `ms` have passed, never
 * rejects: the caller then looks at `client.status`. Listeners are removed either way, so frequent
 * waits against a silent host do not pile up.
 */
export function whenSettled(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
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
