import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { FileStorage, OpenedFile, StoredFile } from './file-storage';

/** Files larger than this are always streamed. */
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Memory the cache may hold in all; the least recently used files go first. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

interface Entry {
  bytes: Buffer;
  size: number;
  mtimeMs: number;
}

/**
 * A FileStorage that keeps the most opened files in memory in front of another one, so that
 * serving a hot file costs one cheap `stat` (which still proves the file is there, unchanged)
 * instead of open, stat, reads and close. An entry is used only while the file has the size and
 * date it was read with; anything else reads it again, or reports it missing.
 */
export class CachedFileStorage implements FileStorage {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(private readonly inner: FileStorage) {}

  async open(key: string): Promise<OpenedFile | null> {
    const st = await this.inner.stat(key);
    if (!st) {
      this.drop(key);
      return null;
    }
    let entry = this.entries.get(key);
    if (entry && entry.size === st.size && entry.mtimeMs === st.modifiedAt.getTime()) {
      this.entries.delete(key); // most recently used goes last
    } else {
      this.drop(key);
      const file = await this.inner.open(key);
      if (!file || file.size > MAX_ENTRY_BYTES) return file;
      const bytes = await buffer(file.stream);
      entry = { bytes, size: file.size, mtimeMs: file.modifiedAt.getTime() };
      this.total += bytes.length;
      while (this.total > MAX_TOTAL_BYTES && this.entries.size) this.drop(this.entries.keys().next().value as string);
    }
    this.entries.set(key, entry);
    const { bytes } = entry;
    return { bytes, size: bytes.length, modifiedAt: new Date(entry.mtimeMs), get stream() { return Readable.from([bytes]); } };
  }

  async put(key: string, data: Uint8Array): Promise<StoredFile> {
    this.drop(key);
    return this.inner.put(key, data);
  }

  async create(key: string, data: Uint8Array) {
    const stored = await this.inner.create(key, data);
    if (stored.created) this.drop(key);
    return stored;
  }

  async remove(key: string): Promise<void> {
    this.drop(key);
    await this.inner.remove(key);
  }

  stat(key: string) {
    return this.inner.stat(key);
  }

  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }

  private drop(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.total -= e.bytes.length;
    this.entries.delete(key);
  }
}
