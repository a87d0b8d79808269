import { Inject, Injectable } from '@nestjs/common';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FILE_STORAGE, FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

/** Files larger than this are always streamed from disk. */
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Memory the cache may hold in all; the least recently used files go first. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface Entry {
  bytes: Buffer;
  sha256: string;
  size: number;
  mtimeMs: number;
}

/**
 * The most requested stored files kept in memory, so that serving one costs a single `stat` (which
 * still proves the file is there, unchanged) instead of open, stat, reads and close. An entry is
 * only used while the file on disk has the size and date it was read with and the caller expects
 * the same SHA-256 (the database's); anything else reads the file again, or reports it missing.
 */
@Injectable()
export class HotFiles {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(@Inject(FILE_STORAGE) private readonly storage: FileStorage) {}

  /** The file's bytes, or null when it is missing, too large to keep, or not a local file. */
  async get(key: string, sha256: string): Promise<{ bytes: Buffer; modifiedAt: Date } | null> {
    if (!(this.storage instanceof LocalFileStorage)) return null;
    const path = this.storage.pathOf(key);
    // Synchronous on purpose: a stat of a local file costs ~3 µs on the loop, where the promise
    // version's round trip through the thread pool costs ~35 µs; this runs on every cached open.
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile()) {
      this.drop(key);
      return null;
    }
    let entry = this.entries.get(key);
    if (!entry || entry.sha256 !== sha256 || entry.size !== st.size || entry.mtimeMs !== st.mtimeMs) {
      this.drop(key);
      if (st.size > MAX_ENTRY_BYTES) return null;
      const bytes = await readFile(path).catch(() => null);
      // Replaced or removed between the stat and the read: let the caller take the slow path.
      if (!bytes || bytes.length !== st.size) return null;
      entry = { bytes, sha256, size: st.size, mtimeMs: st.mtimeMs };
      this.total += bytes.length;
      while (this.total > MAX_TOTAL_BYTES && this.entries.size) this.drop(this.entries.keys().next().value as string);
    } else {
      this.entries.delete(key); // most recently used goes last
    }
    this.entries.set(key, entry);
    return { bytes: entry.bytes, modifiedAt: st.mtime };
  }

  private drop(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.total -= e.bytes.length;
    this.entries.delete(key);
  }
}
