import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isDatabaseBusy, SQLITE_BUSY_TIMEOUT_MS } from './database';

/** The parts of better-sqlite3 used here (the package ships no types). */
interface Statement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
}
interface Database {
  prepare(sql: string): Statement;
  transaction<T>(fn: () => T): { (): T; immediate(): T };
  pragma(source: string): unknown;
}

/** What a synchronous SQLite transaction body gets: prepared (and cached) statements. */
export interface SqliteTx {
  all<T>(sql: string, params?: unknown[]): T[];
  run(sql: string, params?: unknown[]): number;
  /** fn's statements as a savepoint inside the transaction: undone alone when fn throws. */
  savepoint<T>(fn: () => T): T;
}

/**
 * Plain SQL on the ORM's own connection, for the few request paths that must answer in well under
 * a millisecond of CPU (the auth guard, a signer's finalize click): no unit of work, no query
 * builder, statements prepared once.
 *
 * The connection is borrowed from the ORM's pool, so it is never used by two callers at once:
 * SQLite has one connection per process and runs a statement synchronously; PostgreSQL gets one
 * pooled client for the length of the call. SQL uses `?` placeholders on both drivers.
 */
@Injectable()
export class FastSql {
  private readonly sqliteStatements = new WeakMap<Database, Map<string, Statement>>();
  private readonly pgTexts = new Map<string, string>();
  private readonly pgNames = new Map<string, string>();
  readonly driver: AppConfig['database']['driver'];

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.driver = config.database.driver;
  }

  /** Rows of one query. */
  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.driver === 'sqlite') return this.sqlite((tx) => tx.all<T>(sql, params), { write: false });
    // Named: each pooled connection parses and plans the statement once, then only executes it.
    return this.pg(async (c) => (await c.query({ name: this.pgName(sql), text: this.pgText(sql), values: params })).rows as T[]);
  }

  /**
   * Synchronous statements on SQLite's connection: nothing else runs in between. With `write` they
   * form one transaction that takes the write lock first (BEGIN IMMEDIATE), so it never fails on a
   * stale snapshot; while another process (the worker) holds the lock it waits, asynchronously, in
   * millisecond steps, as long as SQLite's own busy timeout would.
   */
  async sqlite<T>(fn: (tx: SqliteTx) => T, opts: { write: boolean }): Promise<T> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (let attempt = 1; ; attempt++) {
      const client = this.knex().client;
      const db = (await client.acquireConnection()) as Database;
      try {
        const tx: SqliteTx = {
          all: <R>(sql: string, params: unknown[] = []) => this.statement(db, sql).all(...params) as R[],
          run: (sql, params = []) => this.statement(db, sql).run(...params).changes,
          // better-sqlite3 runs a transaction function called inside another one as a savepoint.
          savepoint: (fn) => db.transaction(fn)(),
        };
        if (!opts.write) return fn(tx);
        // SQLite's own busy handler would wait by sleeping the whole thread (in steps of up to
        // 100 ms): here the lock is tried without waiting, and waited for below without blocking.
        db.pragma('busy_timeout = 0');
        try {
          return db.transaction(() => fn(tx)).immediate();
        } finally {
          db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        }
      } catch (e) {
        if (!opts.write || !isDatabaseBusy(e) || Date.now() > deadline) throw e;
      } finally {
        await client.releaseConnection(db);
      }
      await new Promise((r) => setTimeout(r, Math.min(attempt, 5)));
    }
  }

  /** One pooled PostgreSQL client for the length of fn. */
  async pg<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = this.knex().client;
    const conn = (await client.acquireConnection()) as PoolClient;
    try {
      return await fn(conn);
    } finally {
      await client.releaseConnection(conn);
    }
  }

  /** `?` placeholders as PostgreSQL's `$n` (our SQL never has a `?` inside a string literal). */
  pgText(sql: string): string {
    let text = this.pgTexts.get(sql);
    if (!text) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      this.pgTexts.set(sql, text);
    }
    return text;
  }

  private pgName(sql: string): string {
    let name = this.pgNames.get(sql);
    if (!name) this.pgNames.set(sql, (name = `vetlab_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
    return name;
  }

  private statement(db: Database, sql: string): Statement {
    let cache = this.sqliteStatements.get(db);
    if (!cache) this.sqliteStatements.set(db, (cache = new Map()));
    let st = cache.get(sql);
    if (!st) cache.set(sql, (st = db.prepare(sql)));
    return st;
  }

  private knex() {
    return (this.em as SqlEntityManager).getKnex();
  }
}
