import type { Configuration, LoggingOptions, Transaction } from '@mikro-orm/core';
import { AbstractSqlDriver, BetterSqliteConnection, BetterSqliteKnexDialect, BetterSqlitePlatform } from '@mikro-orm/better-sqlite';

/** What this file uses of a better-sqlite3 connection and its statements. */
interface Statement {
  reader: boolean;
}
interface Database {
  prepare(sql: string): Statement;
}

/** Statements kept prepared per connection, the least recently used dropped first. */
export const PREPARED_STATEMENTS_MAX = 500;

/**
 * MikroORM's SQLite driver with its values bound instead of written into the SQL, and every
 * statement prepared once per connection.
 *
 * MikroORM's `execute` writes a statement's values into its text (`formatQuery`), and knex's
 * better-sqlite3 client prepares the text again on every query, so no two statements shared a
 * text and each query paid SQLite's parser and planner. A CPU profile of the API under cached
 * work-order opens (5 December 2026: the token's user and the work order's cache row, two short
 * indexed reads per open) put `prepare` first, ~12 % of the busy time, ahead of running the
 * statements. Here a statement with plain values (strings, numbers, bigints, booleans, dates,
 * buffers, null) goes to knex with its values as bindings (knex turns dates into milliseconds and
 * booleans into 0/1, as MikroORM's own formatting does on SQLite), and the connection keeps the
 * prepared statement for the next query of the same text. Anything else (an array or object value,
 * `??` identifiers, a knex builder) takes MikroORM's own path, unchanged.
 */
export class PreparedSqliteDriver extends AbstractSqlDriver<PreparedSqliteConnection> {
  constructor(config: Configuration) {
    super(config, new BetterSqlitePlatform(), PreparedSqliteConnection, ['knex', 'better-sqlite3']);
  }
}

export class PreparedSqliteConnection extends BetterSqliteConnection {
  override createKnex(): void {
    this.client = this.createKnexClient(PreparedOnceDialect as unknown as string);
    this.connected = true;
  }

  override async execute<T>(queryOrKnex: unknown, params: unknown[] = [], method: 'all' | 'get' | 'run' = 'all', ctx?: Transaction, loggerContext?: LoggingOptions): Promise<T> {
    if (typeof queryOrKnex !== 'string' || !params.length || queryOrKnex.includes('??') || !params.every(bindable)) {
      return super.execute(queryOrKnex as string, params, method, ctx, loggerContext) as Promise<T>;
    }
    await this.ensureConnection();
    const sql = this.config.get('onQuery')(queryOrKnex, params);
    return this.executeQuery(
      sql,
      async () => {
        const query = this.getKnex().raw(sql, params as never[]);
        if (ctx) query.transacting(ctx);
        return this.transformRawResult<T>(await query, method);
      },
      { query: sql, params, ...loggerContext },
    );
  }
}

function bindable(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date || Buffer.isBuffer(v);
}

/** knex's better-sqlite3 client on connections that keep their prepared statements (see above). */
class PreparedOnceDialect extends (BetterSqliteKnexDialect as unknown as new (...args: unknown[]) => { acquireRawConnection(): Promise<Database> }) {
  override async acquireRawConnection(): Promise<Database> {
    return keepPrepared(await super.acquireRawConnection());
  }
}

const keptBy = new WeakMap<object, ReadonlyMap<string, unknown>>();

/** The texts a connection keeps prepared (undefined for a connection keepPrepared never saw). */
export function preparedTexts(db: object): ReadonlyMap<string, unknown> | undefined {
  return keptBy.get(db);
}

/**
 * Makes `db.prepare` return the statement it prepared before for the same text. Safe with knex:
 * it runs a statement to its end at once (`all` or `run`, never an iterator left open), so a kept
 * statement is never busy when it is asked for again; SQLite prepares it again by itself after a
 * schema change.
 */
export function keepPrepared<D extends Database>(db: D, max = PREPARED_STATEMENTS_MAX): D {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Statement>();
  keptBy.set(db, kept);
  db.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= max) kept.delete(kept.keys().next().value as string);
    }
    kept.set(sql, statement);
    return statement;
  };
  return db;
}
