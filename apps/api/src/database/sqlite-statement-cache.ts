/** The part of a better-sqlite3 connection the cache wraps. */
export interface PreparingConnection {
  prepare(sql: string): unknown;
}

/** Distinct statements one connection keeps prepared (the oldest let go first). */
export const SQLITE_STATEMENT_CACHE_SIZE = 500;

/**
 * Keeps each SQL text's prepared statement on its SQLite connection. Knex prepares every query
 * again (parsing and planning it, each time on the event loop); the queries of a job or a request
 * are the same few texts with other parameters, so preparing once per text saves that work. Safe
 * with better-sqlite3: a statement runs to its end synchronously (knex only calls `all` and
 * `run`), so one statement is never in use twice at a time, and SQLite prepares a cached statement
 * again by itself when a migration changed the schema under it.
 */
export function cacheStatements<C extends PreparingConnection>(conn: C, size = SQLITE_STATEMENT_CACHE_SIZE): C {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
    } else {
      cache.delete(sql);
    }
    // Most recently used last.
    cache.set(sql, statement);
    return statement;
  };
  return conn;
}
