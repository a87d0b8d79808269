import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireMigrationLock, MigrationLockTimeout, migrationLockFile } from './migration-lock';

/** The SQLite lock file (PostgreSQL's advisory lock: migrations-once.int-spec.ts). */
describe('migration lock file', () => {
  let dir: string;
  let database: { driver: 'sqlite'; path: string };
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vetlab-lock-'));
    database = { driver: 'sqlite', path: join(dir, 'vetlab.sqlite') };
    file = migrationLockFile(database.path);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A pid that was a process and is no more. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, nonce: `n${pid}`, at: '2026-12-03T00:00:00.000Z' });

  it('is a file beside the database holding our pid, removed on release', async () => {
    const lock = await acquireMigrationLock(database, 1000);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('a second taker waits, then gives up naming the holder', async () => {
    const lock = await acquireMigrationLock(database, 1000);
    await expect(acquireMigrationLock(database, 300)).rejects.toThrow(MigrationLockTimeout);
    await expect(acquireMigrationLock(database, 300)).rejects.toThrow(new RegExp(`pid ${process.pid} on .* for more than 0.3 s \\(MIGRATION_LOCK_TIMEOUT_SECONDS\\)`));
    await lock.release();
    await (await acquireMigrationLock(database, 300)).release();
  });

  it('the file of a process that is gone is taken over', async () => {
    writeFileSync(file, holder(deadPid()));
    const lock = await acquireMigrationLock(database, 1000);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('an empty file (its maker died between creating and writing it) is waited on while fresh, taken over once stale', async () => {
    writeFileSync(file, '');
    await expect(acquireMigrationLock(database, 300)).rejects.toThrow(MigrationLockTimeout);
    const longAgo = new Date(Date.now() - 10_000);
    utimesSync(file, longAgo, longAgo);
    const lock = await acquireMigrationLock(database, 1000);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it("another host's file is not judged from here: it waits", async () => {
    writeFileSync(file, holder(deadPid(), 'elsewhere.example'));
    await expect(acquireMigrationLock(database, 300)).rejects.toThrow(/on elsewhere\.example/);
    expect(existsSync(file)).toBe(true);
  });

  it('release leaves alone a file that is not its own', async () => {
    const lock = await acquireMigrationLock(database, 1000);
    writeFileSync(file, holder(process.pid));
    await lock.release();
    expect(existsSync(file)).toBe(true);
  });
});
