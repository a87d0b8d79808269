import { Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Client } from 'pg';
import { AppConfig, DatabaseTimeouts } from '../config/app-config';
import { ENTITIES } from './entities';
import { migrationsFor } from './migrations';
import { PreparedSqliteDriver } from './sqlite-driver';

export type DatabaseDriver = AppConfig['database']['driver'];

/** The client stops waiting for a statement's answer this long after the server would have cancelled it. */
const CLIENT_WAIT_MARGIN_MS = 500;

/**
 * MikroORM options for either driver; migrations (not schema sync) shape the schema. With
 * `timeouts` (the app) every PostgreSQL wait is bounded; the offline tools leave them out, so a
 * migration longer than the statement timeout runs with `npm run migrate` before the app starts.
 */
/**
 * Indexes a migration makes by hand that entity metadata cannot express (PostgreSQL: pg_trgm GIN
 * indexes, one of them with btree_gin's uuid class, and a DESC NULLS LAST one). The schema diff
 * does not know them and would drop them: the diff check and create-migration.ts leave their
 * lines out.
 */
export const HAND_MADE_INDEXES = ['protocols_search_text_trgm_index', 'protocols_received_at_desc_index', 'protocols_clinic_search_trgm_index'];

/** A schema diff without the lines that would drop or remake the hand-made indexes. */
export function withoutHandMadeIndexes(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !HAND_MADE_INDEXES.some((name) => line.includes(`"${name}"`) || line.includes(`\`${name}\``)))
    .join('\n');
}

export function mikroOrmOptions(database: AppConfig['database'], debug = false, timeouts?: DatabaseTimeouts): Options {
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
    // The SQLite text-search index (an FTS5 table and its shadow tables) is made by hand in a migration.
    schemaGenerator: { skipTables: [/^protocols_fts/] },
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    debug,
    logger: (message) => new Logger('MikroORM').debug(message),
    allowGlobalContext: false,
    // A failed query's message starts with the statement as sent, which redactSqlErrors (sql-error.ts)
    // rewrites without its values; knex's default writes the bindings in, past that rewrite's reach.
    driverOptions: { compileSqlOnError: false },
  };
  if (database.driver === 'sqlite') {
    mkdirSync(dirname(database.path), { recursive: true });
    return { ...common, driver: PreparedSqliteDriver, dbName: database.path };
  }
  // min = max: a connection, once opened, is kept (the pool never closes idle ones), so a burst of
  // requests never waits for PostgreSQL to start backends (see warmPool).
  const pool = { min: database.poolSize, max: database.poolSize };
  if (!timeouts) return { ...common, driver: PostgreSqlDriver, clientUrl: database.url, pool };
  return {
    ...common,
    driver: PostgreSqlDriver,
    clientUrl: database.url,
    pool: { ...pool, afterCreate: dropOnReadTimeout },
    driverOptions: {
      ...common.driverOptions,
      // Waiting for a pooled connection, and opening a new one.
      acquireConnectionTimeout: timeouts.acquireMs,
      connection: {
        connectionTimeoutMillis: timeouts.acquireMs,
        // The server cancels a long statement; the client's own wait catches a silent network.
        statement_timeout: timeouts.statementMs,
        query_timeout: timeouts.statementMs + CLIENT_WAIT_MARGIN_MS,
      },
    },
  };
}

/**
 * pg gives up on a query whose answer does not come (query_timeout) but keeps the connection,
 * still waiting for that answer: every later query on it would wait too, even once the network is
 * back. Closing it makes the pool drop it (knex marks it disposed) and open a fresh one.
 */
function dropOnReadTimeout(conn: Client, done: (err: Error | null, conn: Client) => void): void {
  const query = conn.query.bind(conn) as (...args: unknown[]) => unknown;
  (conn as { query: unknown }).query = (...args: unknown[]) => {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: Error | null, res: unknown) => {
        if (err?.message === 'Query read timeout') (conn as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        callback(err, res);
      };
    }
    return query(...args);
  };
  done(null, conn);
}
