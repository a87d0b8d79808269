import { MikroORM } from '@mikro-orm/core';
import { Logger, LogLevel } from '@nestjs/common';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Role } from '@vetlab/shared';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig, ConfigError } from '../config/app-config';
import { migrate, prepareConnection } from '../database/database';
import { mikroOrmOptions } from '../database/mikro-orm.config';
import { ProtocolCounter } from '../protocols/protocol.entity';
import { User } from '../users/user.entity';
import { planBenchProtocols } from './bench-profile';
import { copySchedule, decadeShape, planDecadeTemplate, shiftTemplateNumbers, writeDecadeCopies } from './decade-profile';
import { planDemoProtocols } from './demo-profile';
import { DEMO_PASSWORDS } from './demo-people';
import { Prng } from './prng';
import { ProtocolPlan, writeProtocol } from './protocol-factory';
import { buildCatalogue, insertCatalogue } from './seed-catalogue';
import { insertPeople } from './seed-people';
import { createFileStorage } from '../storage/create-file-storage';
import { insertRows, SeedWriter } from './seed-writer';

export type SeedProfile = 'demo' | 'bench' | 'decade';

const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** "Now" of the seeded lab: fixed, so every run writes the same data. */
export const SEED_BASE_DATE = new Date('2026-11-27T17:30:00Z');
export const DEMO_PROTOCOLS = 500;

export interface SeedOptions {
  profile: SeedProfile;
  ifEmpty: boolean;
  reset: boolean;
  /** decade only: how many protocols (default a million; tests seed a scaled-down decade). */
  protocols?: number;
}

export interface SeedResult {
  profile: SeedProfile;
  skipped: boolean;
  database: AppConfig['database'];
  byStatus: Record<string, number>;
  protocols: number;
  resultRows: number;
  seconds: number;
}

export function parseSeedArgs(argv: string[]): SeedOptions {
  const profile = argv.find((a) => a.startsWith('--profile='))?.slice(10) ?? 'demo';
  if (profile !== 'demo' && profile !== 'bench' && profile !== 'decade') throw new ConfigError(`--profile must be demo, bench or decade (got ${profile})`);
  const opts: SeedOptions = { profile, ifEmpty: argv.includes('--if-empty'), reset: argv.includes('--reset') };
  const protocols = argv.find((a) => a.startsWith('--protocols='))?.slice(12);
  if (protocols !== undefined) {
    const n = Number(protocols);
    if (profile !== 'decade' || !Number.isInteger(n) || n < 100) throw new ConfigError(`--protocols takes a whole number of at least 100, with --profile=decade (got ${protocols})`);
    opts.protocols = n;
  }
  return opts;
}

/**
 * The bench data lives in its own database: with SQLite and no SQLITE_PATH of its own it goes to
 * <dataDir>/bench.sqlite, never into the main file.
 */
export function seedDatabase(config: AppConfig, profile: SeedProfile): AppConfig['database'] {
  const db = config.database;
  if (profile === 'demo' || db.driver !== 'sqlite') return db;
  return resolve(db.path) === resolve(join(config.dataDir, 'vetlab.sqlite')) ? { driver: 'sqlite', path: join(config.dataDir, `${profile}.sqlite`) } : db;
}

/**
 * `seed [--profile=demo|bench] [--if-empty] [--reset]`: migrates, then fills an empty database.
 * --if-empty skips a database that has users (what `npm start` runs); --reset empties a database
 * that has data first. The default bench file is rebuilt on every run.
 */
export async function runSeed(config: AppConfig, argv: string[], log: (line: string) => void = console.log): Promise<SeedResult> {
  const opts = parseSeedArgs(argv);
  if (config.env === 'production') {
    throw new ConfigError(
      'seed: refused in production (NODE_ENV=production): the demo and bench data come with accounts whose passwords are published. ' +
        'Create the lab\'s first admin with `npm run create-admin -- --email=… --name=…` instead.',
    );
  }
  // Outside a Nest app the logger prints every level; keep the configured ones (MikroORM logs at debug).
  Logger.overrideLogger(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel as LogLevel) + 1));
  const started = performance.now();
  const database = seedDatabase(config, opts.profile);
  const ownBenchFile = opts.profile !== 'demo' && database !== config.database;
  if (ownBenchFile && !opts.ifEmpty) for (const suffix of ['', '-wal', '-shm']) rmSync(`${(database as { path: string }).path}${suffix}`, { force: true });

  const orm = await MikroORM.init(mikroOrmOptions(database));
  try {
    await prepareConnection(orm, database);
    await migrate(orm, database, config.migrationLockTimeoutMs);
    const em = orm.em.fork() as SqlEntityManager;
    if ((await em.count(User, {})) > 0) {
      if (opts.ifEmpty) {
        log(`seed: ${where(database)} already has data; nothing to do`);
        return { profile: opts.profile, skipped: true, database, byStatus: {}, protocols: 0, resultRows: 0, seconds: 0 };
      }
      if (!opts.reset) {
        throw new ConfigError(`seed: ${where(database)} already has data. Point the seed at a new database, or add --reset to empty this one first.`);
      }
      log(`seed: emptying ${where(database)}`);
      await orm.getSchemaGenerator().clearDatabase();
    }
    const bulkLoad = opts.profile === 'decade' && database.driver === 'sqlite';
    if (bulkLoad) {
      // A load of gigabytes into a new file: a big page cache, no write-ahead copy of every page, no
      // fsync per commit (a failed seed leaves a file to delete). Back to the app's settings after.
      for (const pragma of ['cache_size = -262144', 'journal_mode = memory', 'synchronous = off', 'temp_store = memory']) await em.getConnection().execute(`pragma ${pragma}`, [], 'run');
    }
    const written = await em.transactional((tem) => fill(tem as SqlEntityManager, config, opts, database.driver, log));
    if (bulkLoad) for (const pragma of ['journal_mode = wal', 'synchronous = normal']) await em.getConnection().execute(`pragma ${pragma}`, [], 'run');
    const byStatus = await countByStatus(em);
    const seconds = (performance.now() - started) / 1000;
    printSummary(log, opts.profile, database, byStatus, written.resultRows, seconds);
    return { profile: opts.profile, skipped: false, database, byStatus, protocols: written.protocols, resultRows: written.resultRows, seconds };
  } finally {
    await orm.close(true);
  }
}

async function fill(em: SqlEntityManager, config: AppConfig, opts: SeedOptions, driver: 'sqlite' | 'postgresql', log: (line: string) => void) {
  const profile = opts.profile;
  const r = new Prng(`vetlab-${profile}`);
  const ids = r.fork('ids');
  const bench = profile !== 'demo';
  const storage = createFileStorage(config);
  const people = await insertPeople(em, ids, {
    hashCost: config.auth.passwordHashCost,
    signers: profile === 'bench' ? 20 : 2,
    storage,
    createdAt: new Date(SEED_BASE_DATE.getTime() - 120 * 24 * 3600_000),
  }).finally(() => storage.close?.());
  const catalogue = buildCatalogue(ids, bench);
  await insertCatalogue(em, catalogue);
  const shape = decadeShape(opts.protocols);
  let plans =
    profile === 'bench'
      ? planBenchProtocols(r.fork('plans'), people, catalogue, SEED_BASE_DATE)
      : profile === 'decade'
        ? planDecadeTemplate(r.fork('plans'), people, catalogue, SEED_BASE_DATE, shape)
        : planDemoProtocols(r.fork('plans'), people, catalogue, SEED_BASE_DATE, DEMO_PROTOCOLS);
  const schedule = copySchedule(profile === 'decade' ? shape.protocols - plans.length : 0, new Date(Math.min(...plans.map((p) => p.createdAt.getTime()))));
  plans = shiftTemplateNumbers(plans, schedule);
  log(`seed: ${profile}: ${people.clinics.length} clinics, ${catalogue.analytes.length} analytes, ${catalogue.panels.length} panels; writing ${plans.length} protocols…`);
  const writer = new SeedWriter(em);
  const details = r.fork('details');
  let resultRows = 0;
  for (const plan of plans) {
    resultRows += writeProtocol(writer, plan, details, ids).rows;
    await writer.maybeFlush();
  }
  await writer.flush();
  const counters = new Map(schedule.years.map((y) => [y.year, y.count]));
  for (const c of countersOf(plans)) counters.set(c.year, c.value);
  await insertRows(em, ProtocolCounter, [...counters].map(([year, value]) => ({ year, value })));
  // Finalized versions print the image their signer had when they were finalized: the seeded one.
  await em.getConnection().execute(
    'update report_versions set signature_key = (select u.signature_key from users u where u.id = report_versions.signer_id) where signer_id is not null and signature_key is null',
    [],
    'run',
    em.getTransactionContext(),
  );
  if (schedule.copies > 0) {
    log(`seed: decade: copying ${schedule.copies} older protocols over ten years…`);
    const withResultsFrom = shape.protocols - shape.withResults;
    await writeDecadeCopies(em, driver, schedule, withResultsFrom, log);
    const rows = await em.getConnection().execute<{ n: number | string }[]>('select count(*) as n from result_rows', [], 'all', em.getTransactionContext());
    resultRows = Number(rows[0]?.n ?? resultRows);
  }
  return { protocols: plans.length + schedule.copies, resultRows };
}

/** The counter holds the last number used per year, so the next intake continues after the seed. */
function countersOf(plans: ProtocolPlan[]): { year: number; value: number }[] {
  const max = new Map<number, number>();
  for (const p of plans) max.set(p.year, Math.max(max.get(p.year) ?? 0, p.number));
  return [...max].map(([year, value]) => ({ year, value }));
}

async function countByStatus(em: SqlEntityManager): Promise<Record<string, number>> {
  const rows: { status: string; n: number | string }[] = await em.getKnex()('protocols').select('status').count({ n: '*' }).groupBy('status');
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

const where = (db: AppConfig['database']) => (db.driver === 'sqlite' ? `SQLite ${db.path}` : `PostgreSQL ${redactUrl(db.url)}`);

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'database';
  }
}

function printSummary(log: (line: string) => void, profile: SeedProfile, db: AppConfig['database'], byStatus: Record<string, number>, rows: number, seconds: number) {
  const statuses = Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  log(`seed: ${profile} data written to ${where(db)} in ${seconds.toFixed(1)} s`);
  log(`  protocols: ${statuses}; result rows: ${rows}`);
  log(`  logins: admin@vetlab.local / ${DEMO_PASSWORDS[Role.Admin]}, firmante1@vetlab.local / ${DEMO_PASSWORDS[Role.Staff]}, ` + `vet1@vetlab.local / ${DEMO_PASSWORDS[Role.Vet]} (all in the README)`);
}
