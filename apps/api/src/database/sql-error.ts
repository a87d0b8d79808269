import type { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';

/** A quoted SQL literal: 'text' with '' inside, or PostgreSQL's E'text' with backslash escapes. */
const LITERAL = /\bE'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'/g;

/** A statement's text with every quoted value replaced by `?`: its shape, none of its data. */
export function withoutLiterals(sql: string): string {
  return sql.replace(LITERAL, '?');
}

/** PostgreSQL's details that quote a row's values: a key's ("Key (email)=(…) already exists.") or a whole row's. */
const KEY_DETAIL = /^(Key \([^)]*\)=\().*(\) (?:already exists|is not present in table .*|is still referenced from table .*)\.?)$/s;
const ROW_DETAIL = /^Failing row contains \(.*\)\.?$/s;

/** A PostgreSQL error detail without the values it quotes. */
export function withoutDetailValues(detail: string): string {
  if (ROW_DETAIL.test(detail)) return 'Failing row contains (?).';
  return detail.replace(KEY_DETAIL, '$1?$2');
}

/**
 * Keeps people's data out of database errors. knex starts a failed query's message with the
 * statement (`<sql> - <the driver's message>`), and MikroORM writes the values into the statement's
 * text, so an error said "insert into protocols … values (…, 'María Gómez', '+54 11 …', …) - could
 * not extend file". That message goes to the logs, to a job's stored failure reason (the operations
 * console shows it) and to Bull's. Here it keeps the statement's shape without its values:
 * "insert into protocols … values (?, ?, …) - could not extend file …". PostgreSQL's `detail`,
 * which MikroORM adds to the message ("Key (name)=(…) already exists."), loses its values too. The
 * driver's own message (its SQLSTATE wording, "database is locked", "No space left on device")
 * stays as it was: the error classification reads it.
 *
 * Needs knex's `compileSqlOnError: false` (set in mikroOrmOptions), so that the message starts with
 * the statement's text exactly as it was sent.
 */
export function redactSqlError(err: unknown, sql: unknown): void {
  // Not `instanceof Error`: a driver's error class may come from another realm (better-sqlite3 keeps
  // the first one it was given for the whole process, which Jest's module registries are not).
  if (typeof err !== 'object' || err === null) return;
  const e = err as { message?: unknown; detail?: unknown };
  if (typeof e.message === 'string' && typeof sql === 'string' && e.message.startsWith(`${sql} - `)) {
    e.message = `${withoutLiterals(sql)} - ${e.message.slice(sql.length + 3)}`;
  }
  if (typeof e.detail === 'string') e.detail = withoutDetailValues(e.detail);
}

/** Redacts every failed query's error on this ORM's connection, inside transactions too (knex forwards their events). */
export function redactSqlErrors(orm: MikroORM): void {
  (orm.em as SqlEntityManager).getKnex().on('query-error', (err: unknown, query: { sql?: unknown }) => redactSqlError(err, query?.sql));
}
