import knex, { Knex } from 'knex';
import type { BenchStack } from '../lib/stack';

/**
 * The drill's read-only view of the stack's database, to check outcomes against what the product
 * says it did. Query builder only, so the same code reads SQLite and PostgreSQL.
 */
export function openDatabase(stack: BenchStack): Knex {
  return stack.driver === 'postgresql'
    ? knex({ client: 'pg', connection: stack.env.DATABASE_URL, pool: { min: 0, max: 2 } })
    : knex({ client: 'better-sqlite3', connection: { filename: stack.env.SQLITE_PATH ?? '', options: { readonly: true } }, useNullAsDefault: true });
}

/** A JSON column: PostgreSQL's driver parses it, SQLite hands back the text. */
export function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
