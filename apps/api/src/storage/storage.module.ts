import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CachedFileStorage } from './cached-file-storage';
import { FILE_STORAGE, FileStorage } from './file-storage';
import { createFileStorage } from './create-file-storage';

/** An API process also keeps the most opened files in memory, whichever the storage (S3: without a HEAD per open when the row names the content). */
function storageFor(config: AppConfig) {
  const files = createFileStorage(config);
  return config.role === 'worker' ? files : new CachedFileStorage(files, { trustNamedContent: files.kind === 's3' });
}

@Injectable()
class StorageShutdown implements OnApplicationShutdown {
  constructor(@Inject(FILE_STORAGE) private readonly storage: FileStorage) {}

  async onApplicationShutdown() {
    await this.storage.close?.();
  }
}

@Global()
@Module({
  providers: [{ provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => storageFor(config) }, StorageShutdown],
  exports: [FILE_STORAGE],
})
export class StorageModule {}
