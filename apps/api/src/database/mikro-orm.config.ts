import { Options } from '@mikro-orm/core';
import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { migrationsFor } from './migrations';

export type DatabaseDriver = AppConfig['database']['driver'];

/** MikroORM options for either driver; migrations (not schema sync) shape the schema. */
export function mikroOrmOptions(database: AppConfig['database'], debug = false): Options {
  const common: Options = {
    entities: ENTITIES,
    discovery: { disableDynamicFileAccess: true, requireEntitiesArray: true },
    extensions: [Migrator],
    migrations: {
      migrationsList: migrationsFor(database.driver),
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      tableName: 'mikro_orm_migrations',
    },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    debug,
    logger: (message) => new Logger('MikroORM').debug(message),
    allowGlobalContext: false,
  };
  if (database.driver === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return { ...common, driver: BetterSqliteDriver, dbName: database.path };
  }
  // min = max: a connection, once opened, is kept (the pool never closes idle ones), so a burst of
  // requests never waits for PostgreSQL to start backends (see warmPool).
  return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, pool: { min: database.poolSize, max: database.poolSize } };
}
