import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { CopiedFiles } from './backup-manifest';

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'ENOENT';

/** A file storage's temp file (`.<name>.<hex>.tmp`), renamed or removed moments later: never copied. */
const isTempFile = (name: string) => name.startsWith('.') && name.endsWith('.tmp');

/** Whether the folder is missing or holds nothing. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (e) {
    if (isMissing(e)) return true;
    throw e;
  }
}

/**
 * Copies every file under `from` to the same path under `to`, never over an existing file. A file
 * that goes while the copy runs (a temp file) is skipped. Returns how many files and bytes it copied;
 * a missing `from` copies nothing.
 */
export async function copyTree(from: string, to: string): Promise<CopiedFiles> {
  let entries;
  try {
    entries = await readdir(from, { recursive: true, withFileTypes: true });
  } catch (e) {
    if (isMissing(e)) return { count: 0, bytes: 0 };
    throw e;
  }
  const copied: CopiedFiles = { count: 0, bytes: 0 };
  for (const entry of entries) {
    if (!entry.isFile() || isTempFile(entry.name)) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    await mkdir(dirname(target), { recursive: true });
    try {
      await copyFile(source, target, constants.COPYFILE_EXCL);
    } catch (e) {
      if (isMissing(e)) continue;
      throw e;
    }
    copied.count++;
    copied.bytes += (await stat(target)).size;
  }
  return copied;
}
