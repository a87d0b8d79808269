import type { SqlEntityManager } from '@mikro-orm/knex';
import { ProtocolStatus } from '@vetlab/shared';
import { completeDraft } from './bench-profile';
import { planDemoProtocols, numberInOrder } from './demo-profile';
import { Prng } from './prng';
import { ProtocolPlan } from './protocol-factory';
import { SeedCatalogue } from './seed-catalogue';
import { SeedPeople } from './seed-people';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const YEAR = 365.25 * DAY;

export const DECADE_PROTOCOLS = 1_000_000;
/** Protocols written one by one with the factory (the newest: open work, fresh reports, drafts). */
export const DECADE_TEMPLATE = 5_000;
/** Complete two-page drafts among them, waiting for a signer (the bench's finalize measure). */
export const DECADE_DRAFTS = 200;

export interface DecadeShape {
  /** All protocols, the template included. */
  protocols: number;
  /** The newest this many have result rows (the template's and the copies just before it). */
  withResults: number;
  /** How many the factory writes one by one; the rest are set-based copies of them. */
  template: number;
}

export function decadeShape(protocols = DECADE_PROTOCOLS): DecadeShape {
  const template = Math.min(DECADE_TEMPLATE, Math.max(50, Math.floor(protocols / 20)));
  return { protocols, withResults: Math.max(template, Math.floor(protocols / 10)), template };
}

/** The newest protocols: three months of a lab as the demo plans them, plus complete two-page drafts. */
export function planDecadeTemplate(r: Prng, people: SeedPeople, catalogue: SeedCatalogue, base: Date, shape: DecadeShape): ProtocolPlan[] {
  const drafts = Math.min(DECADE_DRAFTS, Math.floor(shape.template / 10));
  const demo = planDemoProtocols(r.fork('demo'), people, catalogue, base, shape.template - drafts);
  const panel = catalogue.benchPanels.get(2);
  if (!panel) throw new Error('no two-page bench panel');
  const d = r.fork('drafts');
  const more = Array.from({ length: drafts }, () => completeDraft(d, people, panel, base));
  return numberInOrder([...demo, ...more]);
}

/**
 * When the copies are made: evenly over the ten years before the template's oldest protocol, in
 * code order, numbered per year like intake does. `first` holds each year's first copy index.
 */
export interface CopySchedule {
  copies: number;
  startMs: number;
  stepMs: number;
  years: { year: number; first: number; count: number }[];
}

export function copySchedule(copies: number, before: Date): CopySchedule {
  const endMs = before.getTime() - HOUR;
  const startMs = endMs - 10 * YEAR;
  if (copies <= 0) return { copies: 0, startMs, stepMs: 0, years: [] };
  const stepMs = copies > 0 ? (endMs - startMs) / copies : 0;
  const years: CopySchedule['years'] = [];
  const at = (n: number) => Math.round(startMs + n * stepMs);
  for (let y = new Date(startMs).getUTCFullYear(); y <= new Date(endMs).getUTCFullYear(); y++) {
    let first = Math.max(0, Math.ceil((Date.UTC(y, 0, 1) - startMs) / stepMs));
    while (first > 0 && new Date(at(first - 1)).getUTCFullYear() >= y) first--;
    while (first < copies && new Date(at(first)).getUTCFullYear() < y) first++;
    years.push({ year: y, first, count: 0 });
  }
  years.forEach((y, i) => (y.count = (years[i + 1]?.first ?? copies) - y.first));
  return { copies, startMs, stepMs, years: years.filter((y) => y.count > 0) };
}

/** Template codes continue after the copies of the same year. */
export function shiftTemplateNumbers(plans: ProtocolPlan[], schedule: CopySchedule): ProtocolPlan[] {
  const offset = new Map(schedule.years.map((y) => [y.year, y.count]));
  return plans.map((p) => ({ ...p, number: p.number + (offset.get(p.year) ?? 0) }));
}

/** SQL that differs between the two drivers; everything else is shared. */
interface Dialect {
  series(count: number): string;
  id(tag: number, n: string, sub?: string): string;
  time(ms: string): string;
  /** A whole number of milliseconds. */
  ms(expr: string): string;
  code(year: string, num: string): string;
}

const sqliteDialect: Dialect = {
  series: (count) => `with recursive s(n) as (select 0 union all select n + 1 from s where n < ${count - 1}) select n from s`,
  id: (tag, n, sub = '0') => `printf('%08x-%04x-4%03x-8000-000000000000', ${n}, ${sub}, ${tag})`,
  time: (ms) => ms,
  ms: (expr) => `cast(round(${expr}) as integer)`,
  code: (year, num) => `printf('P-%d-%06d', ${year}, ${num})`,
};

const postgresDialect: Dialect = {
  series: (count) => `select n from generate_series(0, ${count - 1}) as g(n)`,
  id: (tag, n, sub = '0') => `(lpad(to_hex(${n}), 8, '0') || '-' || lpad(to_hex(${sub}), 4, '0') || '-4' || lpad(to_hex(${tag}), 3, '0') || '-8000-000000000000')::uuid`,
  time: (ms) => `to_timestamp((${ms}) / 1000.0)`,
  ms: (expr) => `round(${expr})::bigint`,
  code: (year, num) => `'P-' || ${year} || '-' || lpad((${num})::text, 6, '0')`,
};

const TAG = { protocol: 1, workOrder: 2, report: 3, version: 4, row: 5 } as const;

/**
 * The bulk of the decade, set-based: each copy n (0 = oldest) repeats a finished template protocol
 * (reported or rejected) with its own id, code, dates and search text, and the template's work
 * order, panels, report and version; the newest copies also get its result rows. A handful of
 * INSERT … SELECT statements over a generated series, so a million protocols take seconds to
 * minutes instead of hours of row-by-row writes. Ids are uuid-shaped and derived from the copy's
 * number, so both drivers hold the same data.
 */
export async function writeDecadeCopies(em: SqlEntityManager, driver: 'sqlite' | 'postgresql', schedule: CopySchedule, withResultsFrom: number, log: (line: string) => void): Promise<void> {
  if (schedule.copies <= 0) return;
  const d = driver === 'sqlite' ? sqliteDialect : postgresDialect;
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  const run = (sql: string) => conn.execute(sql, [], 'run', ctx);
  const all = <T>(sql: string, params: unknown[] = []) => conn.execute<T[]>(sql, params, 'all', ctx);

  await run(`create temporary table decade_tpl (k integer primary key, protocol_id ${driver === 'sqlite' ? 'text' : 'uuid'} not null)`);
  const finished = await all<{ id: string }>(`select id from protocols where status in (?, ?) order by code`, [ProtocolStatus.Reported, ProtocolStatus.Rejected]);
  if (!finished.length) throw new Error('decade seed: the template has no finished protocol to copy');
  for (let i = 0; i < finished.length; i += 500) {
    const chunk = finished.slice(i, i + 500);
    await conn.execute(`insert into decade_tpl (k, protocol_id) values ${chunk.map(() => '(?, ?)').join(', ')}`, chunk.flatMap((row, j) => [i + j, row.id]), 'run', ctx);
  }
  const T = finished.length;
  const yearOf = `case ${schedule.years.map((y) => `when s.n < ${y.first + y.count} then ${y.year}`).join(' ')} end`;
  const firstOf = `case ${schedule.years.map((y) => `when s.n < ${y.first + y.count} then ${y.first}`).join(' ')} end`;
  // One row per copy: its number, creation time (ms) and template.
  await run(`create temporary table decade_copy (n integer primary key, ms ${driver === 'sqlite' ? 'integer' : 'bigint'} not null, yr integer not null, num integer not null, protocol_id ${driver === 'sqlite' ? 'text' : 'uuid'} not null)`);
  await run(
    `insert into decade_copy (n, ms, yr, num, protocol_id) select s.n, ${d.ms(`${schedule.startMs} + s.n * ${schedule.stepMs}`)}, ${yearOf}, s.n - ${firstOf} + 1, tp.protocol_id ` +
      `from (${d.series(schedule.copies)}) s join decade_tpl tp on tp.k = s.n % ${T}`,
  );

  const columns = async (table: string): Promise<string[]> => {
    const rows =
      driver === 'sqlite'
        ? await all<{ name: string }>(`select name from pragma_table_info('${table}')`)
        : await all<{ name: string }>(`select column_name as name from information_schema.columns where table_name = ? and table_schema = current_schema() order by ordinal_position`, [table]);
    return rows.map((r) => r.name);
  };
  const at = d.time('c.ms');
  const shift = (col: string) => `t.${col} + (${at} - t.created_at)`;
  const copy = async (table: string, overrides: Record<string, string | null>, from: string, where = '') => {
    const cols = (await columns(table)).filter((c) => overrides[c] !== null);
    const exprs = cols.map((c) => overrides[c] ?? `t.${c}`);
    const started = performance.now();
    await run(`insert into ${table} (${cols.join(', ')}) select ${exprs.join(', ')} from decade_copy c ${from}${where ? ` where ${where}` : ''}`);
    log(`seed: decade: ${table} copied in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  // Bulk-load practice on PostgreSQL: drop the secondary indexes of the tables about to grow, load, build them
  // again in one sorted pass each (far cheaper than a million index inserts each), and on PostgreSQL
  // skip the row-by-row foreign-key triggers (every copied row references what its template does).
  const grown = ['protocols', 'protocol_panels', 'work_orders', 'reports', 'report_versions', 'result_rows'];
  // (SQLite keeps its indexes: the copies arrive in id order, and rebuilding them all costs more.)
  const indexes =
    driver === 'sqlite'
      ? []
      : await all<{ name: string; sql: string }>(
          `select i.indexname as name, i.indexdef as sql from pg_indexes i where i.schemaname = current_schema() and i.tablename in (${grown.map(() => '?').join(', ')}) ` +
            `and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
          grown,
        );
  for (const index of indexes) await run(`drop index ${em.getPlatform().quoteIdentifier(index.name)}`);
  if (driver === 'postgresql') {
    const [role] = await all<{ super: boolean }>('select rolsuper as super from pg_roles where rolname = current_user');
    if (role?.super) await run('set local session_replication_role = replica');
    await run(`set local maintenance_work_mem = '256MB'`);
  }

  const code = d.code('c.yr', 'c.num');
  await copy(
    'protocols',
    {
      id: d.id(TAG.protocol, 'c.n'),
      code,
      // The template's text is "<code> <animal> <owner>" lower-cased with a 13-character code.
      search_text: `lower(${code}) || substr(t.search_text, 14)`,
      received_at: shift('received_at'),
      created_at: at,
      updated_at: shift('updated_at'),
    },
    'join protocols t on t.id = c.protocol_id',
  );
  await copy('protocol_panels', { id: null, protocol_id: d.id(TAG.protocol, 'c.n') }, 'join protocol_panels t on t.protocol_id = c.protocol_id');
  await copy(
    'work_orders',
    { id: d.id(TAG.workOrder, 'c.n'), protocol_id: d.id(TAG.protocol, 'c.n'), created_at: at, updated_at: shift('updated_at') },
    'join work_orders t on t.protocol_id = c.protocol_id',
  );
  await copy('reports', { id: d.id(TAG.report, 'c.n'), protocol_id: d.id(TAG.protocol, 'c.n'), created_at: at }, 'join reports t on t.protocol_id = c.protocol_id');
  await copy(
    'report_versions',
    {
      id: d.id(TAG.version, 'c.n'),
      report_id: d.id(TAG.report, 'c.n'),
      finalized_at: shift('finalized_at'),
      created_at: at,
      updated_at: shift('updated_at'),
    },
    'join reports r on r.protocol_id = c.protocol_id join report_versions t on t.report_id = r.id',
  );
  if (withResultsFrom < schedule.copies) {
    await copy(
      'result_rows',
      { id: d.id(TAG.row, 'c.n', 't.position'), version_id: d.id(TAG.version, 'c.n') },
      'join reports r on r.protocol_id = c.protocol_id join report_versions v on v.report_id = r.id join result_rows t on t.version_id = v.id',
      `c.n >= ${withResultsFrom}`,
    );
  }
  const started = performance.now();
  for (const index of indexes) await run(index.sql);
  if (driver === 'postgresql') await run('set local session_replication_role = origin');
  log(`seed: decade: ${indexes.length} indexes built again in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Fresh statistics, so that the planners pick the indexes a million rows need.
  for (const table of grown) await run(`analyze ${table}`);
  await run('drop table decade_copy');
  await run('drop table decade_tpl');
}
