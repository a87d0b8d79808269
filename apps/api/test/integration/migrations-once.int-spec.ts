import { MikroORM } from '@mikro-orm/core';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { AppConfig } from '../../src/config/app-config';
import { acquireMigrationLock, MIGRATION_LOCK_KEY, migrationLockFile } from '../../src/database/migration-lock';
import { migrationsFor } from '../../src/database/migrations';
import { mikroOrmOptions } from '../../src/database/mikro-orm.config';
import { builtApi } from '../support/api-build';
import { runMain, startMain, startNode } from '../support/main-process';
import { startApiProcess, startWorkerProcess } from '../support/worker-process';
import { createTestEnv } from '../support/test-app';
import { waitUntil } from '../support/wait';

/**
 * Processes booting at once on a fresh database migrate exactly once: the one holding the lock
 * migrates, the others wait, then find nothing left. Real `main migrate` processes; the lock is
 * PostgreSQL's advisory lock or the lock file beside the SQLite file.
 */
describe('migrations run once, however many processes boot at once', () => {
  let env: Record<string, string>;
  let config: AppConfig;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ env, config, cleanup } = await createTestEnv({ LOG_LEVEL: 'log' }, 'all', { freshDatabase: true }));
  });
  afterEach(() => cleanup());

  /** The names in the migrations table, in order (empty when there is no table yet). */
  async function appliedMigrations(): Promise<string[]> {
    const sql = 'select name from mikro_orm_migrations order by id';
    if (config.database.driver === 'postgresql') {
      const c = new Client({ connectionString: config.database.url });
      await c.connect();
      try {
        const exists = await c.query("select to_regclass('mikro_orm_migrations') as t");
        return exists.rows[0].t ? (await c.query<{ name: string }>(sql)).rows.map((r) => r.name) : [];
      } finally {
        await c.end();
      }
    }
    if (!existsSync(config.database.path)) return [];
    const orm = await MikroORM.init(mikroOrmOptions(config.database));
    try {
      const conn = orm.em.getConnection();
      const table = await conn.execute("select name from sqlite_master where type = 'table' and name = 'mikro_orm_migrations'");
      return table.length ? ((await conn.execute(sql)) as { name: string }[]).map((r) => r.name) : [];
    } finally {
      await orm.close(true);
    }
  }

  /** The test holds the lock itself: PostgreSQL's from its own connection, SQLite's file with its own (live) pid. */
  async function holdLock(): Promise<{ release: () => Promise<void> }> {
    if (config.database.driver === 'postgresql') {
      const c = new Client({ connectionString: config.database.url });
      await c.connect();
      await c.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      return { release: () => c.end() };
    }
    return acquireMigrationLock(config.database, 1000);
  }

  const expected = () => migrationsFor(config.database.driver).map((m) => m.name);

  it('4 processes at once (2 `migrate`, an API and a worker): every migration applied once, all started', async () => {
    // Held while they start, so that all four are waiting for it at the same moment.
    const hold = await holdLock();
    const migrates = [startMain(['migrate'], env), startMain(['migrate'], env)];
    const worker = startWorkerProcess(env);
    const api = await startApiProcess(env);
    const outputs = () => [...migrates.map((r) => r.output()), api.output(), worker.output()];
    try {
      try {
        await waitUntil(() => outputs().every((o) => o.includes('waiting for the migration lock')), { ms: 30_000, what: 'all four waiting for the lock' });
      } finally {
        await hold.release();
      }
      const results = await Promise.all(migrates.map((r) => r.done));
      for (const r of results) expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
      await Promise.all([api.ready, worker.ready]);
      await fetch(`${api.url}/api/health`).then((res) => expect(res.status).toBe(200));
      const names = await appliedMigrations();
      expect(names).toEqual(expected());
      expect(new Set(names).size).toBe(names.length);
      expect(outputs().filter((o) => /applied \d+ migration\(s\)/.test(o))).toHaveLength(1);
      expect(results.filter((r) => r.output.includes('database is up to date')).length).toBeGreaterThanOrEqual(1);
      if (config.database.driver === 'sqlite') expect(existsSync(migrationLockFile(config.database.path))).toBe(false);
    } finally {
      await Promise.all([api.stop(), worker.stop()]);
    }
  }, 60_000);

  it('a holder killed with SIGKILL does not block the next start (the stale lock file is taken over; PostgreSQL frees its session lock)', async () => {
    const holder = startNode(
      [
        '-e',
        `require(${JSON.stringify(builtApi('database/migration-lock.js'))}).acquireMigrationLock(JSON.parse(process.env.TEST_DATABASE), 5000)` +
          ".then(() => { console.log('lock held'); setInterval(() => undefined, 1000); }, (e) => { console.error(e); process.exit(1); })",
      ],
      { ...env, TEST_DATABASE: JSON.stringify(config.database) },
    );
    await waitUntil(() => holder.output().includes('lock held'), { ms: 15_000, what: `the holder took the lock:\n${holder.output()}` });
    holder.child.kill('SIGKILL');
    await holder.done;
    if (config.database.driver === 'sqlite') expect(existsSync(migrationLockFile(config.database.path))).toBe(true);

    const started = Date.now();
    const run = await runMain(['migrate'], { ...env, MIGRATION_LOCK_TIMEOUT_SECONDS: '20' });
    expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
    expect(Date.now() - started).toBeLessThan(15_000);
    if (config.database.driver === 'sqlite') {
      expect(run.output).toMatch(new RegExp(`took over the migration lock .*: its holder \\(pid ${holder.child.pid},`));
      expect(existsSync(migrationLockFile(config.database.path))).toBe(false);
    }
    expect(await appliedMigrations()).toEqual(expected());
  }, 40_000);

  it('a waiter gives up after MIGRATION_LOCK_TIMEOUT_SECONDS, saying so, and migrates nothing', async () => {
    const hold = await holdLock();
    try {
      const run = await runMain(['migrate'], { ...env, MIGRATION_LOCK_TIMEOUT_SECONDS: '1' });
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/another process.* has held the migration lock .* for more than 1 s \(MIGRATION_LOCK_TIMEOUT_SECONDS\)/);
      expect(await appliedMigrations()).toEqual([]);
    } finally {
      await hold.release();
    }
  }, 30_000);
});
