import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CachedFileStorage } from './cached-file-storage';
import { FILE_STORAGE } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

/** Where PDFs are kept: `<DATA_DIR>/files/`; an API process also keeps the most opened in memory. */
function storageFor(config: AppConfig) {
  const files = LocalFileStorage.forConfig(config);
  return config.role === 'worker' ? files : new CachedFileStorage(files);
}

@Global()
@Module({
  providers: [{ provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => storageFor(config) }],
  exports: [FILE_STORAGE],
})
export class StorageModule {}
