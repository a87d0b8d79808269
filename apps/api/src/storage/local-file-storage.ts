import { createHash, randomBytes } from 'node:crypto';
import { constants, statSync } from 'node:fs';
import { access, link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { AppConfig } from '../config/app-config';
import type { FileStorage, OpenedFile, StoredFile } from './file-storage';
import { checkStorageKey, InvalidStorageKeyError } from './storage-key';

export { InvalidStorageKeyError };

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/**
 * FileStorage in a local folder. Keys (checkStorageKey) map to paths below the root and nothing else.
 */
export class LocalFileStorage implements FileStorage {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The configured folder (STORAGE_URL as a path), else `<DATA_DIR>/files`. */
  static forConfig(config: Pick<AppConfig, 'dataDir'> & { storage?: AppConfig['storage'] }): LocalFileStorage {
    return new LocalFileStorage(config.storage?.kind === 'local' ? config.storage.root : join(config.dataDir, 'files'));
  }

  /** The file path of a key; throws InvalidStorageKeyError for anything but a well-formed key. */
  pathOf(key: string): string {
    checkStorageKey(key);
    const path = join(this.root, ...key.split('/'));
    // Belt and braces: whatever the rules above miss must still land inside the root.
    if (!path.startsWith(this.root + sep)) throw new InvalidStorageKeyError(key, 'outside the storage root');
    return path;
  }

  /** Temp file in the target's folder (same file system, so the rename is atomic), fsync, rename. */
  async put(key: string, data: Uint8Array): Promise<StoredFile> {
    const path = this.pathOf(key);
    await this.writeThen(path, data, (tmp) => rename(tmp, path));
    return { key, sha256: sha256(data), size: data.byteLength };
  }

  /** Like put, but a hard link instead of the rename: it fails, atomically, when the name is taken. */
  async create(key: string, data: Uint8Array): Promise<StoredFile & { created: boolean }> {
    const path = this.pathOf(key);
    try {
      await this.writeThen(path, data, async (tmp) => {
        try {
          await link(tmp, path);
        } finally {
          await unlink(tmp);
        }
      });
      return { key, sha256: sha256(data), size: data.byteLength, created: true };
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== 'EEXIST') throw e;
    }
    const existing = await readFile(path);
    return { key, sha256: sha256(existing), size: existing.byteLength, created: false };
  }

  /** Writes and syncs a temp file beside `path`, hands it to `place`, then syncs the folder. */
  private async writeThen(path: string, data: Uint8Array, place: (tmp: string) => Promise<void>): Promise<void> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tmp, 'wx', 0o644);
    try {
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await place(tmp);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    await syncDir(dir);
  }

  /**
   * Opens the file before reading its size and date, so the three describe the same file even when
   * a put replaces it meanwhile.
   */
  async open(key: string): Promise<OpenedFile | null> {
    const path = this.pathOf(key);
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
    try {
      const st = await handle.stat();
      if (!st.isFile()) {
        await handle.close();
        return null;
      }
      // Bounded by the size just read: the stream ends without one more read to find the end.
      const range = st.size > 0 ? { start: 0, end: st.size - 1 } : {};
      return { stream: handle.createReadStream({ autoClose: true, ...range }), size: st.size, modifiedAt: st.mtime };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /**
   * Synchronous on purpose: a stat of a local file costs ~3 µs on the loop, where the promise
   * version's round trip through the thread pool costs ~35 µs; a cached open makes one.
   */
  async stat(key: string): Promise<{ size: number; modifiedAt: Date } | null> {
    const st = statSync(this.pathOf(key), { throwIfNoEntry: false });
    return st?.isFile() ? { size: st.size, modifiedAt: st.mtime } : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  /** The folder exists (made if need be, as the first put would) and this process may write in it. */
  async probe(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
  }

  async remove(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key));
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
  }
}

/** Makes the rename itself durable (a crash right after put must not lose the new name). */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is already synced.
  } finally {
    await handle.close();
  }
}
