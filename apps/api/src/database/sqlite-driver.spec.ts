import { keepPrepared } from './sqlite-driver';

describe('keepPrepared', () => {
  const fakeDb = () => {
    const prepared: string[] = [];
    const db = { prepare: (sql: string) => (prepared.push(sql), { reader: true, sql }) };
    return { db, prepared };
  };

  it('prepares a text once and hands the same statement back', () => {
    const { db, prepared } = fakeDb();
    keepPrepared(db);
    const first = db.prepare('select 1 where ? = ?');
    expect(db.prepare('select 1 where ? = ?')).toBe(first);
    expect(db.prepare('select 2')).not.toBe(first);
    expect(prepared).toEqual(['select 1 where ? = ?', 'select 2']);
  });

  it('keeps at most so many, dropping the least recently used', () => {
    const { db, prepared } = fakeDb();
    keepPrepared(db, 2);
    db.prepare('a');
    db.prepare('b');
    db.prepare('a'); // a used last: b goes first
    db.prepare('c');
    db.prepare('a');
    db.prepare('b');
    expect(prepared).toEqual(['a', 'b', 'c', 'b']);
  });
});
