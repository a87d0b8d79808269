import { createRequire } from 'node:module';
import { createTestApp, TestApp } from './test-app';
import { testDriver } from './services';
import { startTcpProxy, TcpProxy } from './tcp-proxy';

/**
 * A database outage of the suite's driver, made for real. PostgreSQL: the app (and any worker
 * started with its env) reaches the server through a TCP proxy that `cut()` drops. SQLite (one
 * file, no network): another connection takes the write lock (`BEGIN EXCLUSIVE`) and keeps it, so
 * every write of the app and its workers ends in a real SQLITE_BUSY; `workerEnv` shortens the
 * worker's busy wait so that happens in a fraction of a second instead of five.
 */
/** The driver MikroORM's SQLite uses (it ships no types here): the two calls a lock needs. */
interface SqliteConnection {
  exec(sql: string): void;
  close(): void;
}
const Sqlite = createRequire(__filename)('better-sqlite3') as new (path: string, opts: { timeout: number }) => SqliteConnection;

export interface DatabaseOutage {
  t: TestApp;
  workerEnv: Record<string, string>;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function appWithDatabaseOutage(env: Record<string, string>): Promise<DatabaseOutage> {
  if (testDriver() === 'postgresql') {
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', 5432);
    const t = await createTestApp(env, 'api', { databaseUrl: (u) => proxy.via(u) });
    return {
      t,
      workerEnv: t.env,
      cut: () => proxy.cut(),
      restore: () => proxy.restore(),
      close: async () => {
        proxy.restore();
        await t.close();
        await proxy.close();
      },
    };
  }
  const t = await createTestApp(env, 'api');
  let locker: SqliteConnection | null = null;
  const restore = () => {
    locker?.exec('COMMIT');
    locker?.close();
    locker = null;
  };
  return {
    t,
    workerEnv: { ...t.env, SQLITE_BUSY_TIMEOUT_MS: '100' },
    cut: () => {
      if (t.config.database.driver !== 'sqlite' || locker) return;
      locker = new Sqlite(t.config.database.path, { timeout: 10_000 });
      locker.exec('BEGIN EXCLUSIVE');
    },
    restore,
    close: async () => {
      restore();
      await t.close();
    },
  };
}
