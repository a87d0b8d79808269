import { MigrationObject } from '@mikro-orm/core';
import { postgresqlMigrations } from './postgresql';
import { sqliteMigrations } from './sqlite';

export function migrationsFor(driver: 'sqlite' | 'postgresql'): MigrationObject[] {
  return driver === 'sqlite' ? sqliteMigrations : postgresqlMigrations;
}
