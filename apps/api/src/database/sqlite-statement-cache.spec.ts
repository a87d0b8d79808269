import { cacheStatements } from './sqlite-statement-cache';

interface Statement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Connection {
  prepare(sql: string): Statement;
  close(): void;
}
// The driver has no type declarations here: the part this test uses, typed.
const Database = require('better-sqlite3') as new (path: string) => Connection;

describe('cacheStatements', () => {
  it('prepares each SQL text once, keeps the most recently used, and its statements run with new parameters', () => {
    const db = new Database(':memory:');
    const prepare = jest.spyOn(db, 'prepare');
    cacheStatements(db, 2);
    db.prepare('create table t (x integer)').run();
    const insert = 'insert into t (x) values (?)';
    for (let i = 0; i < 3; i++) db.prepare(insert).run(i);
    expect(db.prepare('select sum(x) as s from t').get()).toEqual({ s: 3 });
    expect(prepare).toHaveBeenCalledTimes(3);
    // Room for two: the insert and the select stay, the create was let go. The select used last,
    // a new text lets the insert go and keeps the select.
    db.prepare(insert).run(10);
    expect(db.prepare('select sum(x) as s from t').get()).toEqual({ s: 13 });
    expect(prepare).toHaveBeenCalledTimes(3);
    db.prepare('create table u (y integer)').run();
    expect(db.prepare('select sum(x) as s from t').get()).toEqual({ s: 13 });
    expect(prepare).toHaveBeenCalledTimes(4);
    db.prepare(insert).run(1);
    expect(prepare).toHaveBeenCalledTimes(5);
    db.close();
  });

  it('a cached statement still runs after a migration changed its table', () => {
    const db = cacheStatements(new Database(':memory:'));
    db.prepare('create table t (x integer)').run();
    db.prepare('insert into t (x) values (?)').run(1);
    db.prepare('alter table t add column y integer default 7').run();
    expect(db.prepare('select * from t').all()).toEqual([{ x: 1, y: 7 }]);
    db.prepare('insert into t (x) values (?)').run(2);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
    db.close();
  });
});
