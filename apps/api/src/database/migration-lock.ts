import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { AppConfig, ConfigError } from '../config/app-config';

const log = new Logger('Migrations');

/**
 * The key of the PostgreSQL advisory lock that migrations hold. Advisory locks belong to one
 * database, so deployments on other databases of the same server never wait for each other.
 */
export const MIGRATION_LOCK_KEY = 1_919_190_001;

/** How often a waiter looks at an SQLite lock file again. */
const FILE_POLL_MS = 100;
/** A takeover guard older than this belongs to a process that died within its few microseconds. */
const GUARD_STALE_MS = 5000;

export class MigrationLockTimeout extends ConfigError {}

/** Holds the lock until `release` (idempotent). */
export interface MigrationLock {
  release(): Promise<void>;
}

/**
 * Takes the lock that makes migrations run once however many processes boot at once: a
 * session-level advisory lock on PostgreSQL (on a connection of its own, which the server frees when
 * the holder dies), a lock file beside the SQLite file (a holder that died leaves it behind; its pid
 * tells, and it is taken over). Waits at most `timeoutMs`, then fails saying who holds it.
 */
export async function acquireMigrationLock(database: AppConfig['database'], timeoutMs: number): Promise<MigrationLock> {
  return database.driver === 'postgresql' ? acquireAdvisoryLock(database.url, timeoutMs) : acquireLockFile(migrationLockFile(database.path), timeoutMs);
}

/** Runs `fn` while holding the migration lock. */
export async function withMigrationLock<T>(database: AppConfig['database'], timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireMigrationLock(database, timeoutMs);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

async function acquireAdvisoryLock(url: string, timeoutMs: number): Promise<MigrationLock> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: Math.max(2000, Math.min(timeoutMs, 10_000)) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const free = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [MIGRATION_LOCK_KEY]);
    if (!free.rows[0].locked) {
      const holder = await client.query<{ pid: number }>("select pid from pg_locks where locktype = 'advisory' and granted and objid = $1 limit 1", [MIGRATION_LOCK_KEY]);
      log.log(`waiting for the migration lock (another process migrates${holder.rows[0] ? `: PostgreSQL backend ${holder.rows[0].pid}` : ''})`);
      // lock_timeout bounds the wait inside the server; the statement fails with 55P03 after it.
      await client.query(`set lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      } catch (e) {
        if ((e as { code?: string }).code === '55P03') {
          throw new MigrationLockTimeout(
            `migrations: another process has held the migration lock (PostgreSQL advisory lock ${MIGRATION_LOCK_KEY}) for more than ${seconds(timeoutMs)} ` +
              '(MIGRATION_LOCK_TIMEOUT_SECONDS); it may still be migrating. Try again later, or find the session holding it in pg_locks.',
          );
        }
        throw e;
      }
      await client.query('reset lock_timeout');
    }
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      } finally {
        // Closing the session frees the lock anyway.
        await client.end().catch(() => undefined);
      }
    },
  };
}

/** The lock file beside an SQLite database file. */
export const migrationLockFile = (databasePath: string) => `${databasePath}.migrate.lock`;

interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  at: string;
}

function readHolder(file: string): LockHolder | null | 'absent' {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : null;
  } catch (e) {
    // Absent (released meanwhile), or created and not yet written: the holder is alive.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : null;
  }
}

/** Whether the process that wrote the lock is still running (on another host: it cannot be told, so yes). */
function holderAlive(h: LockHolder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * O_EXCL create: only one process can make the file. A file it cannot write (a full disk: creating
 * it takes no room, writing does) is removed again: left empty, it would look like a holder that is
 * still writing and keep every later process waiting.
 */
function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(file);
    throw e;
  }
  closeSync(fd);
  return true;
}

const unlinkQuietly = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
};

/** Whether a file was last written longer ago than `ms` (false when it is gone). */
function olderThan(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * Removes the lock file of a holder that died, under a short-lived guard file so that two
 * processes that both saw it dead cannot remove a fresh lock the faster of them made meanwhile.
 * `dead` null: a file that has said nothing for GUARD_STALE_MS (its maker died between creating and
 * writing it), removed only if it still says nothing.
 */
function takeOver(file: string, dead: LockHolder | null): void {
  const guard = `${file}.takeover`;
  if (!tryCreate(guard, String(process.pid))) {
    // Another taker is at it (or died at it: its guard goes once stale).
    if (olderThan(guard, GUARD_STALE_MS)) unlinkQuietly(guard);
    return;
  }
  try {
    const now = readHolder(file);
    if (dead && now !== 'absent' && now?.nonce === dead.nonce) {
      unlinkQuietly(file);
      log.warn(`took over the migration lock ${file}: its holder (pid ${dead.pid}, since ${dead.at}) is gone`);
    } else if (!dead && now === null && olderThan(file, GUARD_STALE_MS)) {
      unlinkQuietly(file);
      log.warn(`took over the migration lock ${file}: it has been empty or unreadable for more than ${seconds(GUARD_STALE_MS)}`);
    }
  } finally {
    unlinkQuietly(guard);
  }
}

async function acquireLockFile(file: string, timeoutMs: number): Promise<MigrationLock> {
  const me: LockHolder = { pid: process.pid, host: hostname(), nonce: randomBytes(12).toString('hex'), at: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let said = false;
  let last: LockHolder | null = null;
  for (;;) {
    if (tryCreate(file, JSON.stringify(me))) break;
    const holder = readHolder(file);
    if (holder === 'absent') continue;
    if (holder && !holderAlive(holder)) {
      takeOver(file, holder);
      continue;
    }
    if (holder === null && olderThan(file, GUARD_STALE_MS)) {
      takeOver(file, null);
      continue;
    }
    last = holder ?? last;
    if (Date.now() >= deadline) {
      throw new MigrationLockTimeout(
        `migrations: another process${last ? ` (pid ${last.pid} on ${last.host}, since ${last.at})` : ''} has held the migration lock file ${file} ` +
          `for more than ${seconds(timeoutMs)} (MIGRATION_LOCK_TIMEOUT_SECONDS); it may still be migrating. ` +
          'If no vetlab process is running, delete the file and start again.',
      );
    }
    if (!said) {
      said = true;
      log.log(`waiting for the migration lock (another process migrates${last ? `: pid ${last.pid}` : ''})`);
    }
    await new Promise((r) => setTimeout(r, FILE_POLL_MS));
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      const now = readHolder(file);
      if (now !== 'absent' && now?.nonce === me.nonce) unlinkQuietly(file);
    },
  };
}
