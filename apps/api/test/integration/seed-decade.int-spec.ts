import { MikroORM } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { ProtocolStatus, Role } from '@vetlab/shared';
import { mikroOrmOptions } from '../../src/database/mikro-orm.config';
import { applyProtocolFilter, countProtocols, searchPlanFor, withIndexScansOff } from '../../src/protocols/protocol-list-query';
import { Protocol } from '../../src/protocols/protocol.entity';
import { decadeShape } from '../../src/seed/decade-profile';
import { runSeed, SeedResult } from '../../src/seed/seed.command';
import { createTestEnv } from '../support/test-app';

type Env = Awaited<ReturnType<typeof createTestEnv>>;
const N = 2_000;
const shape = decadeShape(N);

/** The decade profile scaled down (--protocols): the same shape as the million, in seconds. */
describe('seed (decade profile, scaled down)', () => {
  let env: Env;
  let orm: MikroORM;
  let em: SqlEntityManager;
  let result: SeedResult;
  const all = <T>(sql: string, params: unknown[] = []) => em.getConnection().execute<T[]>(sql, params, 'all');

  beforeAll(async () => {
    env = await createTestEnv();
    result = await runSeed(env.config, ['--profile=decade', `--protocols=${N}`], () => undefined);
    orm = await MikroORM.init(mikroOrmOptions(result.database));
    em = orm.em.fork() as SqlEntityManager;
  }, 60_000);
  afterAll(async () => {
    await orm?.close(true);
    await env?.cleanup();
  });

  it('writes every protocol with its work order, panels, report and version', async () => {
    expect(result.protocols).toBe(N);
    for (const table of ['protocols', 'work_orders', 'reports', 'report_versions']) {
      expect(Number((await all<{ n: number }>(`select count(*) as n from ${table}`))[0].n)).toBe(N);
    }
    const orphans = await all<{ n: number }>('select count(*) as n from protocols p where not exists (select 1 from protocol_panels pp where pp.protocol_id = p.id)');
    expect(Number(orphans[0].n)).toBe(0);
    const statuses = await all<{ status: string }>('select distinct status from protocols');
    expect(statuses.map((s) => s.status)).toEqual(expect.arrayContaining([ProtocolStatus.Submitted, ProtocolStatus.InAnalysis, ProtocolStatus.Reported, ProtocolStatus.Rejected]));
  });

  it('spreads ten years with codes numbered per year without gaps, the counters after the last', async () => {
    const years = await all<{ yr: string; n: number; first: string; last: string }>(
      `select substr(code, 3, 4) as yr, count(*) as n, min(code) as first, max(code) as last from protocols group by substr(code, 3, 4) order by yr`,
    );
    expect(years.length).toBeGreaterThanOrEqual(10);
    const counters = await all<{ year: number; value: number }>('select year, value from protocol_counters order by year');
    for (const y of years) {
      expect(y.first).toBe(`P-${y.yr}-000001`);
      expect(y.last).toBe(`P-${y.yr}-${String(y.n).padStart(6, '0')}`);
      expect(counters.find((c) => Number(c.year) === Number(y.yr))?.value).toBe(Number(y.n));
    }
    // Code order is time order.
    const rows = await em.find(Protocol, {}, { fields: ['code', 'createdAt'], orderBy: { createdAt: 'asc', id: 'asc' } });
    const codes = rows.map((r) => r.code);
    expect(codes).toEqual([...codes].sort());
  });

  it('gives result rows to the newest protocols only, and a search text to each', async () => {
    const withRows = await all<{ code: string }>(
      'select p.code from protocols p join reports r on r.protocol_id = p.id join report_versions v on v.report_id = r.id where exists (select 1 from result_rows rr where rr.version_id = v.id) order by p.code',
    );
    expect(withRows).toHaveLength(shape.withResults);
    const newest = await em.find(Protocol, {}, { fields: ['code'], orderBy: { createdAt: 'desc', id: 'asc' }, limit: shape.withResults });
    expect(withRows.map((r) => r.code)).toEqual(newest.map((p) => p.code).sort());
    const texts = await em.find(Protocol, {}, { fields: ['code', 'animalName', 'ownerName', 'searchText'] });
    for (const p of texts) expect(p.searchText).toBe(Protocol.searchTextOf(p));
  });

  it('keeps a histogram of 1,000 search texts on PostgreSQL, filled by the seed, and reads the page of a search with few matches with plain index scans off', async () => {
    // SQLite chooses its search plan from its FTS5 table (searchPlanFor); PostgreSQL's planner from this
    // histogram. At its default 100 values a common first name may be in none of them (bench/README.md).
    if (env.config.database.driver !== 'postgresql') return;
    const [column] = await all<{ target: number }>(`select attstattarget as target from pg_attribute where attrelid = 'protocols'::regclass and attname = 'search_text'`);
    expect(Number(column.target)).toBe(1000);
    const [stats] = await all<{ bounds: number }>(`select array_length(histogram_bounds::text::text[], 1) as bounds from pg_stats where schemaname = current_schema() and tablename = 'protocols' and attname = 'search_text'`);
    expect(Number(stats.bounds)).toBe(1001);
    // A search with few matches reads its page with plain index scans off (countSearchFirst), for that transaction only.
    const setting = (from: SqlEntityManager) => from.getConnection().execute<{ enable_indexscan: string }[]>('show enable_indexscan', [], 'all', from.getTransactionContext());
    expect(await withIndexScansOff(em, async (tx) => (await setting(tx))[0].enable_indexscan)).toBe('off');
    expect((await setting(em))[0].enable_indexscan).toBe('on');
  });

  it('finds a substring of a code, an animal or an owner exactly as a scan of search_text does', async () => {
    const sample = await em.find(Protocol, {}, { fields: ['code', 'animalName', 'ownerName'], orderBy: { code: 'asc' }, limit: 3, offset: 1_000 });
    const admin = { role: Role.Admin, clinicId: null };
    const [clinic] = await all<{ id: string }>('select clinic_id as id from protocols group by clinic_id order by count(*) desc');
    const vet = { role: Role.Vet, clinicId: clinic.id };
    const inClinic = (await em.find(Protocol, { clinic: clinic.id }, { fields: ['id'] })).map((p) => p.id);
    for (const q of [sample[0].code.slice(2), sample[1].animalName, sample[2].ownerName.split(' ').pop()!.slice(0, 4), 'ez']) {
      const term = q.toLocaleLowerCase('es');
      const scanned = texts(await em.find(Protocol, {}, { fields: ['id', 'searchText'] }), term);
      expect(scanned.length).toBeGreaterThan(0);
      // Both plans (SQLite: the FTS table drives, or the rows are walked with LIKE) find the same.
      for (const plan of ['index', 'scan', await searchPlanFor(em, { q })] as const) {
        const qb = em.createQueryBuilder(Protocol, 'p').select('p.id');
        applyProtocolFilter(qb, { q }, admin, plan);
        expect((await qb.execute<{ id: string }[]>('all', false)).map((r) => r.id).sort()).toEqual(scanned);
        // The list's total the same way (SQLite's 'scan' counts through a join of its FTS5 table), within a clinic too.
        expect(await countProtocols(em, { q }, admin, plan, N + 1)).toBe(scanned.length);
        expect(await countProtocols(em, { q }, admin, plan, 2)).toBe(Math.min(2, scanned.length));
        expect(await countProtocols(em, { q }, vet, plan, N + 1)).toBe(inClinic.filter((id) => scanned.includes(id)).length);
      }
    }
  });
});

const texts = (rows: { id: string; searchText: string }[], term: string) =>
  rows
    .filter((r) => r.searchText.includes(term))
    .map((r) => r.id)
    .sort();
