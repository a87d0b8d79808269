import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { migrate, prepareConnection } from './database';
import { mikroOrmOptions } from './mikro-orm.config';
import { FastSql } from './fast-sql.service';

@Injectable()
class DatabaseLifecycle implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Connection settings, then migrations: every role applies what is pending before it serves. */
  async onModuleInit() {
    await prepareConnection(this.orm, this.config.database);
    await migrate(this.orm);
  }
}

@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        MikroOrmModule.forRoot({
          ...mikroOrmOptions(config.database, config.logLevel === 'debug'),
          registerRequestContext: true,
        }),
      ],
      providers: [DatabaseLifecycle, FastSql],
      exports: [FastSql],
    };
  }
}
