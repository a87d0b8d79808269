import type { FastSql } from './fast-sql.service';
import { KeyLookup } from './key-lookup';

interface Row {
  key: string;
  name: string;
}

const A = '0b6f3a52-8d0e-4c43-9a39-8f1d6c1e2a01';
const B = '5d7c2e10-1f4b-4a8e-b0d3-3c2a9e6f7b02';
const UNKNOWN = '9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a503';

/** A FastSql that answers from a table and records every query it was sent. */
function fakeSql(driver: 'sqlite' | 'postgresql', rows: Row[], fail = false) {
  const calls: { sql: string; params: unknown[] }[] = [];
  const sql = {
    driver,
    async all(text: string, params: unknown[]) {
      calls.push({ sql: text, params });
      if (fail) throw new Error('connection terminated');
      const keys = (Array.isArray(params[0]) ? params[0] : params) as string[];
      // PostgreSQL compares uuids whatever their case, and prints them in lower case.
      return rows.filter((r) => keys.some((k) => k.toLowerCase() === r.key));
    },
  };
  return { sql: sql as unknown as FastSql, calls };
}

const query = (match: string) => `select id as key, name from things where id ${match}`;

describe('KeyLookup', () => {
  const rows = [
    { key: A, name: 'a' },
    { key: B, name: 'b' },
  ];

  it('on PostgreSQL sends the lookups of one turn of the event loop as one query, each key once', async () => {
    const { sql, calls } = fakeSql('postgresql', rows);
    const lookup = new KeyLookup<Row>(sql, query);
    const found = await Promise.all([lookup.get(A), lookup.get(B), lookup.get(A.toUpperCase()), lookup.get(UNKNOWN), lookup.get(A)]);
    expect(found.map((r) => r?.name)).toEqual(['a', 'b', 'a', undefined, 'a']);
    expect(calls).toEqual([{ sql: 'select id as key, name from things where id = any(?)', params: [[A, B, A.toUpperCase(), UNKNOWN]] }]);

    await lookup.get(B);
    expect(calls).toHaveLength(2);
  });

  it('on PostgreSQL finds nothing for a key that is not a UUID, without failing the others', async () => {
    const { sql, calls } = fakeSql('postgresql', rows);
    const lookup = new KeyLookup<Row>(sql, query);
    const found = await Promise.all([lookup.get('not-a-uuid'), lookup.get(A)]);
    expect(found.map((r) => r?.name)).toEqual([undefined, 'a']);
    expect(calls.map((c) => c.params)).toEqual([[[A]]]);
  });

  it('on PostgreSQL rejects every lookup of a batch whose query fails', async () => {
    const { sql } = fakeSql('postgresql', rows, true);
    const lookup = new KeyLookup<Row>(sql, query);
    const outcomes = await Promise.allSettled([lookup.get(A), lookup.get(B)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('on SQLite looks each key up on its own', async () => {
    const { sql, calls } = fakeSql('sqlite', rows);
    const lookup = new KeyLookup<Row>(sql, query);
    const found = await Promise.all([lookup.get(A), lookup.get(UNKNOWN)]);
    expect(found.map((r) => r?.name)).toEqual(['a', undefined]);
    expect(calls).toEqual([
      { sql: 'select id as key, name from things where id = ?', params: [A] },
      { sql: 'select id as key, name from things where id = ?', params: [UNKNOWN] },
    ]);
  });
});
