import { createHash } from 'node:crypto';
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
  sha256: string;
}

/**
 * A FileStorage that keeps the most opened files in memory in front of another one, so that
 * serving a hot file costs one cheap `stat` (which still proves the file is there, unchanged)
 * instead of open, stat, reads and close. An entry is used only while the file has the size and
 * date it was read with (and SHA-256, where the storage's stat tells it); anything else reads it
 * again, or reports it missing.
 *
 * With `trustNamedContent` (in front of S3, where a stat is a network round trip), a caller that
 * names the content it expects (`expect.sha256`, from its database row) is served an entry of
 * exactly that content without the stat: the bytes are what the row says, whatever became of the
 * object since. (An object deleted behind the API's back is then noticed only once the entry is
 * evicted; renders being deterministic, rendering it again would give the same bytes.)
 */
export class CachedFileStorage implements FileStorage {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(
    private readonly inner: FileStorage,
    private readonly opts: { trustNamedContent?: boolean } = {},
  ) {}

  get kind() {
    return this.inner.kind;
  }

  async open(key: string, expect?: { sha256?: string }): Promise<OpenedFile | null> {
    let entry = this.entries.get(key);
    if (entry && this.opts.trustNamedContent && expect?.sha256 && entry.sha256 === expect.sha256) {
      this.entries.delete(key); // most recently used goes last
      this.entries.set(key, entry);
      return this.served(entry);
    }
    const st = await this.inner.stat(key);
    if (!st) {
      this.drop(key);
      return null;
    }
    if (entry && entry.size === st.size && entry.mtimeMs === st.modifiedAt.getTime() && (!st.sha256 || st.sha256 === entry.sha256)) {
      this.entries.delete(key);
    } else {
      this.drop(key);
      const file = await this.inner.open(key);
      if (!file || file.size > MAX_ENTRY_BYTES) return file;
      const bytes = await buffer(file.stream);
      entry = { bytes, size: file.size, mtimeMs: file.modifiedAt.getTime(), sha256: createHash('sha256').update(bytes).digest('hex') };
      this.total += bytes.length;
      while (this.total > MAX_TOTAL_BYTES && this.entries.size) this.drop(this.entries.keys().next().value as string);
    }
    this.entries.set(key, entry);
    return this.served(entry);
  }

  private served(entry: Entry): OpenedFile {
    const { bytes } = entry;
    return { bytes, size: bytes.length, modifiedAt: new Date(entry.mtimeMs), sha256: entry.sha256, get stream() { return Readable.from([bytes]); } };
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

  probe(): Promise<void> {
    return this.inner.probe();
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.total = 0;
    await this.inner.close?.();
  }

  private drop(key: string) {
    const e = this.entries.get(key);
    if (!e) return;
    this.total -= e.bytes.length;
    this.entries.delete(key);
  }
}
