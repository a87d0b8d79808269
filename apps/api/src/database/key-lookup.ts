import { IdSchema } from '@vetlab/shared';
import { TickBatch } from '../common/tick-batch';
import { FastSql } from './fast-sql.service';

/**
 * One row by one key, for lookups every hot request makes (the token's user, a work order's cached
 * file). `sql(match)` is the query with `match` where the key's condition goes (`= ?` for one key,
 * `= any(?)` for many); it returns the key as column `key`.
 *
 * On PostgreSQL the lookups made in one turn of the event loop go out as one query: twenty requests
 * that arrive together wait for one round trip, not for twenty queued on a pool of ten connections.
 * A key that is not a UUID finds nothing without reaching the database (one malformed key must not
 * fail the others' query). SQLite answers each lookup in process, in microseconds, one by one.
 */
export class KeyLookup<T extends { key: string }> {
  private readonly oneSql: string;
  private readonly manySql: string;
  private readonly many = new TickBatch<string, T | undefined>(async (keys) => {
    const rows = await this.sql.all<T>(this.manySql, [[...new Set(keys)]]);
    // PostgreSQL prints a uuid in lower case, whatever case it was asked in.
    const byKey = new Map(rows.map((r) => [r.key.toLowerCase(), r]));
    return keys.map((k) => ({ value: byKey.get(k.toLowerCase()) }));
  });

  constructor(
    private readonly sql: FastSql,
    query: (match: string) => string,
  ) {
    this.oneSql = query('= ?');
    this.manySql = query('= any(?)');
  }

  async get(key: string): Promise<T | undefined> {
    if (this.sql.driver === 'sqlite') return (await this.sql.all<T>(this.oneSql, [key]))[0];
    if (!IdSchema.safeParse(key).success) return undefined;
    return this.many.push(key);
  }
}
