import type { DiskSpace } from '@vetlab/shared';
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppConfig } from '../config/app-config';

/**
 * The folders a process writes to on its own disk: the data folder (the local secret, the outbox),
 * the embedded database's folder and the local file storage. PostgreSQL's and S3's disks are theirs.
 */
export function dataFolders(config: Pick<AppConfig, 'dataDir' | 'database' | 'storage'>): string[] {
  const folders = [config.dataDir];
  if (config.database.driver === 'sqlite') folders.push(dirname(config.database.path));
  if (config.storage.kind === 'local') folders.push(config.storage.root);
  return [...new Set(folders)];
}

/**
 * Room on the disks of `folders`: the filesystem with the least free space (a folder not made yet is
 * measured where it will be made). Null when none can be read. One statfs per folder: cheap enough for
 * every health check, scrape and heartbeat.
 */
export function diskSpace(folders: readonly string[], lowFreeBytes: number): DiskSpace | null {
  let least: { freeBytes: number; totalBytes: number } | null = null;
  for (const folder of folders) {
    const s = statfsNearest(folder);
    if (!s) continue;
    // bavail: what an unprivileged writer gets (root's reserve excluded), as a process that is not root sees it.
    const figures = { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    if (!least || figures.freeBytes < least.freeBytes) least = figures;
  }
  return least && { ...least, low: least.freeBytes < lowFreeBytes };
}

/** This process's data disk (see dataFolders and diskSpace). */
export function dataDiskSpace(config: Pick<AppConfig, 'dataDir' | 'database' | 'storage' | 'diskLowFreeBytes'>): DiskSpace | null {
  return diskSpace(dataFolders(config), config.diskLowFreeBytes);
}

function statfsNearest(folder: string) {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      return statfsSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) return null;
    }
  }
}
