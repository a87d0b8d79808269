import { AnyEntity, EntityData, EntityManager, LockWaitTimeoutException, MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { withMigrationLock } from './migration-lock';
import { redactSqlErrors } from './sql-error';

const log = new Logger('Database');

/** How long an SQLite statement waits for another connection's write lock before SQLITE_BUSY (SQLITE_BUSY_TIMEOUT_MS's default). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** An API process's own checkpoint threshold, in pages (about 40 MB of log): the backstop. */
export const SQLITE_API_CHECKPOINT_PAGES = 10_000;

/** How often a worker folds SQLite's write-ahead log back into the database file. */
export const SQLITE_CHECKPOINT_INTERVAL_MS = 2000;

/**
 * Settings that belong to the connection, not to the schema; and its errors told without the
 * statement's values (redactSqlErrors).
 *
 * SQLite folds the write-ahead log into the database file (a checkpoint: page copies and two
 * fsyncs, several milliseconds) in whichever connection commits past 1,000 pages. An API process
 * should not pay that inside a person's request, so with `checkpoints: false` its threshold is
 * raised to SQLITE_API_CHECKPOINT_PAGES and a worker does the work instead (on its own commits, and
 * checkpointSqlite on a timer). The raised threshold is only a backstop: with no worker running
 * for a long time the log still cannot grow without bound.
 */
export async function prepareConnection(
  orm: MikroORM,
  database: AppConfig['database'],
  { checkpoints = true, busyTimeoutMs = SQLITE_BUSY_TIMEOUT_MS }: { checkpoints?: boolean; busyTimeoutMs?: number } = {},
): Promise<void> {
  redactSqlErrors(orm);
  if (database.driver === 'sqlite') {
    const conn = orm.em.getConnection();
    await conn.execute('pragma journal_mode = WAL');
    await conn.execute(`pragma busy_timeout = ${busyTimeoutMs}`);
    await conn.execute('pragma synchronous = NORMAL');
    await conn.execute(`pragma wal_autocheckpoint = ${checkpoints ? 1000 : SQLITE_API_CHECKPOINT_PAGES}`);
  }
}

/**
 * Opens every connection of a PostgreSQL pool now, so that the first burst of requests does not
 * wait for the server to start a backend per connection (tens of milliseconds each; twenty signers
 * at once needed ten of them). The pool keeps them (min = max).
 */
export async function warmPool(orm: MikroORM, database: AppConfig['database']): Promise<void> {
  if (database.driver !== 'postgresql') return;
  const { client } = (orm.em as SqlEntityManager).getKnex();
  const conns = await Promise.all(Array.from({ length: database.poolSize }, () => client.acquireConnection()));
  await Promise.all(conns.map((c) => client.releaseConnection(c)));
}

/** A checkpoint that waits for nobody: pages other connections still read stay for the next one. */
export async function checkpointSqlite(orm: MikroORM): Promise<void> {
  await orm.em.getConnection().execute('pragma wal_checkpoint(PASSIVE)');
}

/**
 * Applies pending migrations under the migration lock (see migration-lock.ts), so that however many
 * processes boot at once, one migrates and the others wait, then find nothing left to do. Returns
 * the names this process applied.
 *
 * A database with nothing pending (every boot but the first after a deploy) is only read: no lock is
 * taken, so a process starts even on a full disk, where it cannot write the SQLite lock file, and
 * serves what needs no room. Asking can fail on a database that has no migrations table yet (two
 * processes making it at once): the lock then decides, as before.
 */
export async function migrate(orm: MikroORM, database: AppConfig['database'], lockTimeoutMs: number): Promise<string[]> {
  const pending = await orm
    .getMigrator()
    .getPendingMigrations()
    .catch(() => null);
  if (pending?.length === 0) return [];
  return withMigrationLock(database, lockTimeoutMs, async () => {
    const applied = await orm.getMigrator().up();
    if (applied.length) log.log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    return applied.map((m) => m.name);
  });
}

/**
 * Runs a write transaction again when SQLite answers "database is locked": a deferred transaction
 * that read before writing cannot upgrade its lock while another process (the worker) commits, and
 * SQLite reports that at once instead of waiting. PostgreSQL never takes this path.
 */
export async function withBusyRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  // Another connection that holds the lock makes each attempt wait the whole busy timeout: once
  // that much time has gone by, the caller hears it (503) rather than waiting eight times as long.
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDatabaseBusy(e)) throw e;
      // Plain SQL (execute) reaches us as the driver's own error: give it the ORM's type, which the
      // HTTP layer answers with 503.
      if (i >= attempts || Date.now() >= deadline) throw e instanceof LockWaitTimeoutException ? e : new LockWaitTimeoutException(e as Error);
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10 * i));
    }
  }
}

/**
 * A write transaction on a fresh fork of `em`, run again while SQLite reports the database locked
 * (see withBusyRetry): every write a request or a job makes goes through here.
 */
export function writeTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return withBusyRetry(() => em.fork().transactional(fn));
}

/**
 * One plain UPDATE or DELETE with bound values in `em`'s transaction (when it has one); the rows it
 * changed. For the statements on hot paths, where building them through the ORM costs more CPU
 * than running them.
 */
export async function executeUpdate(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const res = await em.getConnection().execute(sql, params, 'run', em.getTransactionContext());
  return (res as { affectedRows: number }).affectedRows;
}

/** One plain SELECT with bound values in `em`'s transaction (when it has one): its rows as the driver hands them over. */
export function selectRows<T = EntityData<AnyEntity>>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(sql, params, 'all', em.getTransactionContext());
}

/** Bound values per multi-row INSERT: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const INSERT_MAX_VALUES = 30_000;
/** Rows per multi-row INSERT, however few its columns. */
const INSERT_MAX_ROWS = 2_000;

/** Rows per multi-row INSERT of this many columns (insertValues; the seed's insertMany chunks). */
export function insertBatchSize(columns: number): number {
  return Math.max(1, Math.min(INSERT_MAX_ROWS, Math.floor(INSERT_MAX_VALUES / Math.max(1, columns))));
}

/**
 * Plain multi-row INSERTs (`insert into <table> (<columns>) values (…), (…)`) in `em`'s transaction
 * (when it has one), in statements sized by their bound values; each row gives its values in
 * `columns`' order. `onConflict` follows ON CONFLICT (e.g. `(a, b) do nothing`); with `returning`
 * the rows the statements return are returned (none without it).
 */
export async function insertValues<T = never>(
  em: EntityManager,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  opts: { onConflict?: string; returning?: string } = {},
): Promise<T[]> {
  const returned: T[] = [];
  const size = insertBatchSize(columns.length);
  const row = `(${columns.map(() => '?').join(', ')})`;
  const tail = `${opts.onConflict ? ` on conflict ${opts.onConflict}` : ''}${opts.returning ? ` returning ${opts.returning}` : ''}`;
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    const sql = `insert into ${table} (${columns.join(', ')}) values ${batch.map(() => row).join(', ')}${tail}`;
    if (opts.returning) returned.push(...(await selectRows<T>(em, sql, batch.flat())));
    else await executeUpdate(em, sql, batch.flat());
  }
  return returned;
}

/** A JSON column's value for plain SQL (its text; null stays null), as the ORM writes it. */
export function jsonParam(value: unknown): string | null {
  return value == null ? null : JSON.stringify(value);
}

/** An integer column read with plain SQL (PostgreSQL's driver hands over a bigint or a count as a string). */
export function readInt(value: unknown): number | null {
  return value == null ? null : Number(value);
}

/**
 * A date column read with plain SQL, as the ORM would read it: each driver hands it over its own
 * way (PostgreSQL a timestamp string or a Date, SQLite milliseconds).
 */
export function readDate(em: EntityManager, value: unknown): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : em.getPlatform().parseDate(value as string | number);
}

/** SQLite's "database is locked", as the ORM's exception or as the driver's raw SqliteError. */
export function isDatabaseBusy(e: unknown): boolean {
  if (e instanceof LockWaitTimeoutException) return true;
  const err = e as { code?: unknown; message?: unknown } | null;
  return String(err?.code).startsWith('SQLITE_BUSY') || String(err?.message).includes('database is locked');
}

/** PostgreSQL SQLSTATEs of a server that cannot serve now: shutting down, starting, out of connections, statement timeout. */
const UNAVAILABLE_SQLSTATES = ['57P01', '57P02', '57P03', '53300', '57014'];
/** Socket errors (raw, or kept as `code` on the ORM's wrapper) and SQLite files that cannot be opened or read. */
const UNAVAILABLE_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'SQLITE_CANTOPEN', 'SQLITE_IOERR'];
/**
 * What pg and knex say when the connection drops, a new one does not open in time (pg's pool says
 * "timeout exceeded…", its client alone "timeout expired"), or an answer never comes.
 */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|^timeout expired$|Query read timeout|not queryable|Timeout acquiring a connection|canceling statement due to statement timeout/;

/**
 * The database is away or too slow to answer, not the request at fault: connection refused or
 * dropped, no pooled connection within the acquire timeout, a statement past its timeout.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown; name?: unknown } | null;
  if (!err) return false;
  const code = String(err.code);
  if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.includes(code) || UNAVAILABLE_CODES.some((c) => code.startsWith(c))) return true;
  return err.name === 'KnexTimeoutError' || UNAVAILABLE_MESSAGE.test(String(err.message));
}
