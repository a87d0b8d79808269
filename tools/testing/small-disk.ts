import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file that takes every free byte of a disk until it is freed. */
export interface DiskFiller {
  free(): void;
}

/** A small disk of its own (a tmpfs) a test can fill to the last byte. */
export interface SmallDisk {
  dir: string;
  /**
   * Writes a file until the disk refuses (ENOSPC), then smaller pieces until not even 512 bytes fit.
   * `sqlite`: a database on the disk whose write-ahead log is emptied first. A log keeps its size
   * after a checkpoint and is written again from its start, so without this a few small writes
   * would still fit in it and a test of a full disk would pass or fail by what ran before.
   */
  fill(opts?: { sqlite?: string }): DiskFiller;
  unmount(): void;
}

/**
 * Checkpoints an SQLite database's log into it and truncates the log to nothing, from a connection
 * of its own (the database's processes keep theirs), waiting out their readers for up to 5 s. Run in
 * a Node process of its own with the project's better-sqlite3 (the driver MikroORM uses).
 */
function emptyWal(file: string): void {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1], { fileMustExist: true, timeout: 5000 });
    const deadline = Date.now() + 5000;
    for (;;) {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)');
      if (row.busy === 0) break;
      if (Date.now() > deadline) { console.error('a reader held the log for 5 s'); process.exit(1); }
    }
    db.close();`;
  try {
    execFileSync(process.execPath, ['-e', script, file], { stdio: 'pipe', cwd: join(__dirname, '../..') });
  } catch (e) {
    throw new Error(`the write-ahead log of ${file} could not be emptied: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
  }
}

/** Small disks are mounted on `<tmpdir>/vetlab-small-disk-<pid of the test process>-<random>`. */
const PREFIX = 'vetlab-small-disk-';

/**
 * Mounts a tmpfs of `mib` MiB on a new folder: a real filesystem that runs out of room, for tests of
 * a full disk. Mounting needs root (CAP_SYS_ADMIN), which this project's CI and machines have; without
 * it the test fails at once saying so. `owner`: the disk's root belongs to that user (a PostgreSQL
 * server's, for a tablespace on it); else to root.
 */
export function mountSmallDisk(mib: number, opts: { owner?: { uid: number; gid: number } } = {}): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  const owner = opts.owner ? `,uid=${opts.owner.uid},gid=${opts.owner.gid}` : '';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0700${owner}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    throw new Error(`a full-disk test mounts a ${mib} MiB tmpfs and needs root (CAP_SYS_ADMIN) for it: mount failed: ${why}`);
  }
  return {
    dir,
    fill: (opts = {}) => {
      if (opts.sqlite) emptyWal(opts.sqlite);
      const file = join(dir, `filler-${Date.now()}`);
      const fd = openSync(file, 'w');
      try {
        for (const size of [1024 * 1024, 64 * 1024, 4096, 512]) {
          const chunk = Buffer.alloc(size, 0x5a);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          }
        }
      } finally {
        closeSync(fd);
      }
      let freed = false;
      return {
        free: () => {
          if (!freed) unlinkSync(file);
          freed = true;
        },
      };
    },
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Unmounts and removes the small disks of test processes that are gone (killed before their
 * afterAll ran), so a hard-killed run leaves no tmpfs behind for long: the test suites' global
 * setups call it. A disk whose process still runs (a parallel run) is left alone.
 */
export function sweepSmallDisks(): string[] {
  const swept: string[] = [];
  let mounts: string[];
  try {
    mounts = readFileSync('/proc/mounts', 'utf8').split('\n');
  } catch {
    return swept;
  }
  for (const line of mounts) {
    const target = line.split(' ')[1] ?? '';
    const m = target.startsWith(join(tmpdir(), PREFIX)) ? /-(\d+)-[^/]+$/.exec(target) : null;
    if (!m || alive(Number(m[1]))) continue;
    try {
      execFileSync('umount', ['-l', target], { stdio: 'pipe' });
      rmSync(target, { recursive: true, force: true });
      swept.push(target);
    } catch {
      // not ours to unmount (no root): leave it
    }
  }
  return swept;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
