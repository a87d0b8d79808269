import type { AppConfig } from '../config/app-config';
import type { FileStorage } from './file-storage';
import { LocalFileStorage } from './local-file-storage';
import { S3FileStorage } from './s3-file-storage';

/** The configured storage itself: `<DATA_DIR>/files/` (or STORAGE_URL's folder), or an S3 bucket. */
export function createFileStorage(config: Pick<AppConfig, 'dataDir' | 'storage'>): FileStorage {
  return config.storage.kind === 's3' ? new S3FileStorage(config.storage) : LocalFileStorage.forConfig(config);
}
