import { createTestApp, TestApp } from '../support/test-app';
import { testDriver } from '../support/services';
import { Clinic } from '../../src/clinics/clinic.entity';
import { statSync } from 'node:fs';
import { waitUntil } from '../support/wait';
import { withoutHandMadeIndexes } from '../../src/database/mikro-orm.config';
import { selectRows } from '../../src/database/database';
import { preparedTexts } from '../../src/database/sqlite-driver';
import type { SqlEntityManager } from '@mikro-orm/knex';

describe('database', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Empty: the app migrates it as it boots (other tests start from a migrated copy).
    t = await createTestApp({}, 'all', { freshDatabase: true });
  });
  afterAll(() => t?.close());

  it('applied every committed migration at boot and has nothing pending', async () => {
    const migrator = t.orm.getMigrator();
    expect(await migrator.getPendingMigrations()).toHaveLength(0);
    expect((await migrator.getExecutedMigrations()).length).toBeGreaterThan(0);
  });

  it('the schema matches the entities (no migration is missing)', async () => {
    const diff = await t.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(withoutHandMadeIndexes(diff).trim()).toBe('');
  });

  it("a failed statement's error names the statement and the database's reason, never the values it carried (they reach logs and job reasons)", async () => {
    const secret = 'Clínica de Zacarías Secreto';
    const em = t.em();
    em.create(Clinic, { name: secret, resultEmails: ['zacarias@secreto.test'] });
    await em.flush();
    // A unique name taken: the ORM's insert, its values written into the text it sends.
    const again = t.em();
    again.create(Clinic, { name: secret, resultEmails: ['zacarias@secreto.test'] });
    const duplicate = (await again.flush().catch((e: Error) => e)) as Error;
    expect(duplicate.message).toMatch(/^insert into .clinics. .* - /);
    expect(duplicate.message).toMatch(testDriver() === 'postgresql' ? /duplicate key value violates unique constraint/ : /UNIQUE constraint failed: clinics\.name/);
    // Raw SQL, as the repositories write it, with a value in its text.
    const raw = (await (t.em() as SqlEntityManager)
      .getConnection()
      .execute(`select id from clinics where name = '${secret.replace(/'/g, "''")}' and no_such_column = 1`)
      .catch((e: Error) => e)) as Error;
    expect(raw.message).toMatch(/^select id from clinics where name = \? and no_such_column = 1 - .*no_such_column/);
    for (const e of [duplicate, raw]) {
      expect(e.message).not.toMatch(/Zacar|secreto/i);
      expect(e.stack).not.toMatch(/Zacar|secreto/i);
    }
  });

  it('loading an entity and flushing writes nothing (dates compare equal after a round trip)', async () => {
    const em = t.em();
    em.create(Clinic, { name: 'Clínica de ida y vuelta', resultEmails: [] });
    await em.flush();
    const fresh = t.em();
    await fresh.findOneOrFail(Clinic, { name: 'Clínica de ida y vuelta' });
    const uow = fresh.getUnitOfWork();
    uow.computeChangeSets();
    expect(uow.getChangeSets()).toHaveLength(0);
  });

  if (testDriver() === 'postgresql') {
    it('a process that answers people opens its whole pool before it listens', async () => {
      const db = t.config.database as { url: string; poolSize: number };
      const name = new URL(db.url).pathname.slice(1);
      const count = async () => {
        const [row] = await t.em().getConnection().execute<{ n: string }[]>('select count(*) as n from pg_stat_activity where datname = ?', [name]);
        return Number(row.n);
      };
      expect(db.poolSize).toBe(3);
      expect(await count()).toBeGreaterThanOrEqual(db.poolSize);
    });
  }

  if (testDriver() === 'sqlite') {
    const pragma = async (app: TestApp, name: string) => Object.values((await app.em().getConnection().execute<Record<string, number>[]>(`pragma ${name}`))[0])[0];

    it('runs SQLite in WAL mode', async () => {
      const [row] = await t.em().getConnection().execute<{ journal_mode: string }[]>('pragma journal_mode');
      expect(row.journal_mode).toBe('wal');
    });

    it('a process that runs jobs folds the log back itself, on commits and on a timer', async () => {
      expect(await pragma(t, 'wal_autocheckpoint')).toBe(1000);
      const conn = t.em().getConnection();
      const file = (t.config.database as { path: string }).path;
      await conn.execute('create table checkpoint_probe (n integer)');
      await conn.execute('insert into checkpoint_probe (n) values (1)');
      // Committed pages live in the log until a checkpoint copies them into the database file: far
      // fewer than 1,000 pages here, so only the timer (every 2 s) makes the file change.
      const before = statSync(file).mtimeMs;
      await waitUntil(() => statSync(file).mtimeMs > before, { what: 'a checkpoint into the database file', ms: 6000 });
      await conn.execute('drop table checkpoint_probe');
    });

    it('binds a statement\'s values and keeps it prepared: the same text is prepared once per connection', async () => {
      const em = t.em();
      const sql = 'select ? as s, ? as n, ? as b, ? as d, ? as z';
      const at = new Date('2026-12-05T01:02:03.004Z');
      // What MikroORM's own formatting wrote into the text on SQLite: dates as milliseconds, booleans as 1 / 0.
      expect(await selectRows(em, sql, ['texto', 5, true, at, null])).toEqual([{ s: 'texto', n: 5, b: 1, d: at.getTime(), z: null }]);
      expect(await selectRows(em, sql, ['otro', 6, false, at, 'x'])).toEqual([{ s: 'otro', n: 6, b: 0, d: at.getTime(), z: 'x' }]);
      const { client } = (em as SqlEntityManager).getKnex();
      const conn = await client.acquireConnection();
      try {
        expect(preparedTexts(conn)?.has(sql)).toBe(true);
        expect(conn.prepare(sql)).toBe(conn.prepare(sql));
      } finally {
        await client.releaseConnection(conn);
      }
    });

    it('an API-only process leaves checkpoints to workers (only a far backstop of its own)', async () => {
      const api = await createTestApp({}, 'api');
      try {
        expect(await pragma(api, 'wal_autocheckpoint')).toBe(10_000);
      } finally {
        await api.close();
      }
    });
  }
});
