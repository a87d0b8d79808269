import { MikroORM } from '@mikro-orm/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkpointSqlite, migrate, prepareConnection, SQLITE_CHECKPOINT_INTERVAL_MS, warmPool } from './database';
import { mikroOrmOptions } from './mikro-orm.config';

@Injectable()
class DatabaseLifecycle implements OnModuleInit, OnModuleDestroy {
  private checkpointTimer?: NodeJS.Timeout;

  constructor(
    private readonly orm: MikroORM,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Connection settings, then migrations: every role applies what is pending before it serves. */
  async onModuleInit() {
    // SQLite checkpoints are left to processes that run jobs (an API process keeps only a far backstop).
    const checkpoints = this.config.role !== 'api';
    await prepareConnection(this.orm, this.config.database, { checkpoints, busyTimeoutMs: this.config.sqliteBusyTimeoutMs });
    await migrate(this.orm, this.config.database, this.config.migrationLockTimeoutMs);
    // A process that answers people opens its connections before it listens.
    if (this.config.role !== 'worker') await warmPool(this.orm, this.config.database);
    if (this.config.database.driver === 'sqlite' && checkpoints) {
      const log = new Logger('Database');
      this.checkpointTimer = setInterval(() => {
        checkpointSqlite(this.orm).catch((e) => log.warn(`checkpoint: ${(e as Error).message}`));
      }, SQLITE_CHECKPOINT_INTERVAL_MS);
      this.checkpointTimer.unref();
    }
  }

  onModuleDestroy() {
    clearInterval(this.checkpointTimer);
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
          ...mikroOrmOptions(config.database, config.logLevel === 'debug', config.databaseTimeouts),
          registerRequestContext: true,
        }),
      ],
      providers: [DatabaseLifecycle],
    };
  }
}
