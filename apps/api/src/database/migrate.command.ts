import { MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/app-config';
import { migrate, prepareConnection } from './database';
import { mikroOrmOptions } from './mikro-orm.config';

export async function runMigrate(config: AppConfig): Promise<void> {
  const orm = await MikroORM.init(mikroOrmOptions(config.database));
  try {
    await prepareConnection(orm, config.database);
    const applied = await migrate(orm, config.database, config.migrationLockTimeoutMs);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await orm.close(true);
  }
}
