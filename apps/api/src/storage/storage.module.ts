import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FILE_STORAGE } from './file-storage';
import { HotFiles } from './hot-files';
import { LocalFileStorage } from './local-file-storage';

/** Where PDFs are kept: `<DATA_DIR>/files/` (an S3-compatible store can replace it later). */
@Global()
@Module({
  providers: [{ provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => LocalFileStorage.forConfig(config) }, HotFiles],
  exports: [FILE_STORAGE, HotFiles],
})
export class StorageModule {}
