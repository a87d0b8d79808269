import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A file that takes every free byte of a disk until it is freed. */
export interface DiskFiller {
  free(): void;
}

/** A small disk of its own (a tmpfs) a test can fill to the last byte. */
export interface SmallDisk {
  dir: string;
  /** Writes a file until the disk refuses (ENOSPC), then smaller pieces until not even 512 bytes fit. */
  fill(): DiskFiller;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `mib` MiB on a new folder: a real filesystem that runs out of room, for tests of
 * a full disk. Mounting needs root (CAP_SYS_ADMIN), which this project's CI and machines have; without
 * it the test fails at once saying so.
 */
export function mountSmallDisk(mib: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const why = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
    throw new Error(`a full-disk test mounts a ${mib} MiB tmpfs and needs root (CAP_SYS_ADMIN) for it: mount failed: ${why}`);
  }
  return {
    dir,
    fill: () => {
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
