import type { AppConfig } from '../config/app-config';
import type { FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

/** The configured storage itself: `<DATA_DIR>/files/` (or STORAGE_URL's folder), or an S3 bucket. */
export function createFileStorage(config: Pick<AppConfig, 'dataDir' | 'storage'>): FileStorage {
  if (config.storage.kind !== 's3') return LocalFileStorage.forConfig(config);
  // The AWS SDK (~1.1 MB of JavaScript, ~80 ms of CPU to load) is loaded only by a process that
  // stores in a bucket: every other start, and every test app, skips it.
  const { S3FileStorage } = require('./s3-file-storage') as typeof import('./s3-file-storage');
  return new S3FileStorage(config.storage);
}
