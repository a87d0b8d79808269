import type { Queue } from 'bull';

/**
 * Resolves once every Redis connection of the queue is ready — or has failed (Redis away: the
 * worker still starts and reports it), or after `ms`; never rejects. Why wait at all: Bull names a
 * worker's connection (CLIENT SETNAME) as soon as a processor is registered and drops that promise,
 * so a queue closed while its connections are still coming up (a worker stopped right after it
 * started) rejects inside Bull, unhandled. Worker modules wait for this at bootstrap.
 */
export async function whenQueueConnected(queue: Queue, ms = 5_000): Promise<void> {
  const settled = (client: Queue['client']) =>
    client.status === 'ready'
      ? undefined
      : new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            client.off('ready', done);
            client.off('error', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          client.once('ready', done);
          client.once('error', done);
        });
  await Promise.all(queue.clients.map(settled));
}
