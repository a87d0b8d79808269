import { MikroORM } from '@mikro-orm/core';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, link, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
import { AppConfig, ConfigError } from '../config/app-config';
import { mikroOrmOptions } from './mikro-orm.config';

type Database = AppConfig['database'];

const LAST_MIGRATION = 'select name from mikro_orm_migrations order by id desc limit 1';

/** SQLite's own files of a database: the file, its write-ahead log and the log's index. */
const sqliteFiles = (path: string) => [path, `${path}-wal`, `${path}-shm`];

/**
 * A copy of the database as it was at one moment, into `file`, while vetlab keeps running, and the
 * name of its last migration. SQLite: `VACUUM INTO` reads the database in one read transaction (in
 * WAL mode it waits for no writer and no writer waits for it) and writes a compact, self-contained
 * file, checked with `integrity_check`. PostgreSQL: `pg_dump` (one snapshot, custom format).
 */
export async function backUpDatabase(database: Database, file: string): Promise<{ lastMigration: string | null }> {
  if (database.driver === 'postgresql') {
    await runPgTool('pg_dump', ['--format=custom', '--no-owner', `--file=${file}`, `--dbname=${database.url}`]);
    return { lastMigration: await withPg(database.url, async (c) => (await c.query<{ name: string }>(LAST_MIGRATION)).rows[0]?.name ?? null) };
  }
  if (!existsSync(database.path)) throw new ConfigError(`backup: there is no database at ${database.path}`);
  await withSqlite(database.path, (orm) => orm.em.getConnection().execute('vacuum into ?', [file], 'run'));
  return withSqlite(file, async (orm) => {
    const conn = orm.em.getConnection();
    const [check] = await conn.execute<{ integrity_check: string }[]>('pragma integrity_check');
    if (check?.integrity_check !== 'ok') throw new Error(`backup: the copy of the database fails its integrity check: ${JSON.stringify(check)}`);
    const [last] = await conn.execute<{ name: string }[]>(LAST_MIGRATION);
    return { lastMigration: last?.name ?? null };
  });
}

/**
 * Puts a backup's database in place of one that does not exist yet; refuses (ConfigError, nothing
 * changed) where the database holds anything. SQLite: the file is copied beside its place and
 * linked into it, so a process that starts meanwhile never opens half a file. PostgreSQL:
 * `pg_restore` into the database DATABASE_URL names, which must have no tables.
 */
export async function restoreDatabase(database: Database, file: string): Promise<void> {
  await assertNoDatabase(database);
  if (database.driver === 'postgresql') {
    await runPgTool('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${database.url}`, file]);
    return;
  }
  const tmp = join(dirname(database.path), `.${basename(database.path)}.${randomBytes(6).toString('hex')}.tmp`);
  await copyFile(file, tmp);
  try {
    await link(tmp, database.path);
  } finally {
    await unlink(tmp);
  }
}

/** Throws ConfigError where the database exists (SQLite) or holds any table (PostgreSQL). */
export async function assertNoDatabase(database: Database): Promise<void> {
  if (database.driver === 'postgresql') {
    const tables = await withPg(database.url, async (c) => Number((await c.query<{ n: string }>(`select count(*) as n from information_schema.tables where table_schema = 'public'`)).rows[0].n));
    if (tables > 0) throw new ConfigError(`restore: the database DATABASE_URL names has ${tables} tables; restore into a new, empty database`);
    return;
  }
  const existing = sqliteFiles(database.path).filter((f) => existsSync(f));
  if (existing.length) throw new ConfigError(`restore: ${existing.join(', ')} exists; stop vetlab and move the database aside first`);
}

async function withSqlite<T>(path: string, fn: (orm: MikroORM) => Promise<T>): Promise<T> {
  const orm = await MikroORM.init(mikroOrmOptions({ driver: 'sqlite', path }));
  try {
    return await fn(orm);
  } finally {
    await orm.close(true);
  }
}

async function withPg<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs a PostgreSQL client tool to its end; its error output, never the URL (it may hold a password), goes into the error. */
function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new ConfigError(`${tool} was not found: install the PostgreSQL client tools (Debian: postgresql-client)`) : e),
    );
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} failed (exit code ${code}): ${err.trim()}`))));
  });
}
