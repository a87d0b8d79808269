import Redis from 'ioredis';
import { Client } from 'pg';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export type TestDriver = 'sqlite' | 'postgresql';
export const testDriver = (): TestDriver => (process.env.TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite');

/** Fails within seconds, naming the service and how to start it; never hangs. */
export async function assertRedis(): Promise<void> {
  const r = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    throw new Error(
      `Redis is not reachable at ${TEST_REDIS_URL} (${(e as Error).message}). Start it, e.g. ` +
        `redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no`,
    );
  } finally {
    r.disconnect();
  }
}

/** Runs `fn` on a connection to the server's `test` database (creating and dropping databases), closed after. */
export async function withPgAdmin<T>(fn: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

export async function assertPostgres(): Promise<void> {
  const c = new Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('select 1');
  } catch (e) {
    throw new Error(`PostgreSQL is not reachable at ${TEST_PG_URL} (${(e as Error).message}); start it or set TEST_PG_URL`);
  } finally {
    await c.end().catch(() => undefined);
  }
}
