/**
 * Small network helpers shared by the cluster, the bench and the tests' own servers (Redis, S3,
 * worker processes, the browser tests' stack).
 */
import { createServer } from 'node:net';
import Redis from 'ioredis';

/** A TCP port free on 127.0.0.1 right now (the OS picks it; free until somebody else binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Whether a Redis answers PING at `url` within `timeoutMs` (one connection, no retries). */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
