import { createHash } from 'node:crypto';
import type { FileStorage, StoredFile } from './file-storage';

/**
 * Stores the file of one run of a job without ever replacing what a newer run stored. The file is
 * created only where none exists. One that exists with the same bytes is taken as it is: a run of
 * the same content stored it (renders are deterministic). One with other bytes is a leftover of
 * older content (a version that failed, was edited and is finalized again) and is replaced, but
 * only once `stillOurs` (which throws otherwise) has confirmed that this run still holds its subject.
 */
export async function storeFenced(storage: FileStorage, key: string, data: Uint8Array, stillOurs: () => Promise<void>): Promise<StoredFile> {
  const { created, ...stored } = await storage.create(key, data);
  if (created || stored.sha256 === createHash('sha256').update(data).digest('hex')) return stored;
  await stillOurs();
  return storage.put(key, data);
}
