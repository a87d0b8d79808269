import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiBuildDir, pidAlive } from './api-build';
import { runMain } from './main-process';
import { TEST_PG_URL, testDriver, withPgAdmin } from './services';

const ENV = 'VETLAB_TEST_DB_TEMPLATE';
const PG_PREFIX = 'vt_template_';

/**
 * A database of the suite's driver that this run's build migrated (`main.js migrate`), made once by
 * the global setup: each test database starts as a copy of it (PostgreSQL's CREATE DATABASE …
 * TEMPLATE, a file copy for SQLite), so booting a test app finds nothing to migrate instead of
 * running every migration again (most of a second of CPU, 70-odd times a run). Tests of migrating
 * itself ask for a fresh database (`TestEnvOptions.freshDatabase`).
 */
export async function prepareDatabaseTemplate(): Promise<void> {
  // Added to the environment, as every process the tests start from the build.
  const env: Record<string, string> = { NODE_ENV: 'test', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error' };
  let template: string;
  if (testDriver() === 'postgresql') {
    template = `${PG_PREFIX}${process.pid}`;
    await withPgAdmin(async (admin) => {
      // Templates left by runs that were killed before their teardown.
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like '${PG_PREFIX}%'`);
      for (const { datname } of rows) {
        const pid = Number(datname.slice(PG_PREFIX.length));
        if (pid === process.pid || !pidAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      }
      await admin.query(`CREATE DATABASE ${template}`);
    });
    env.DATABASE_URL = Object.assign(new URL(TEST_PG_URL), { pathname: `/${template}` }).toString();
  } else {
    // Inside this run's build folder: removed with it.
    const dir = join(apiBuildDir(), 'db-template');
    mkdirSync(dir, { recursive: true });
    env.DATA_DIR = dir;
    template = join(dir, 'vetlab.sqlite');
  }
  const r = await runMain(['migrate'], env);
  if (r.code !== 0) throw new Error(`the template database did not migrate (main.js migrate):\n${r.output}`);
  if (testDriver() === 'sqlite' && !existsSync(template)) throw new Error(`main.js migrate left no database at ${template}`);
  process.env[ENV] = template;
}

/** Drops the PostgreSQL template (an SQLite one goes with the build's folder). */
export async function removeDatabaseTemplate(): Promise<void> {
  const template = process.env[ENV];
  if (!template || testDriver() !== 'postgresql') return;
  await withPgAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)).catch(() => undefined);
}

/** The PostgreSQL template database to create a test database from; undefined: a fresh one. */
export function pgTemplate(): string | undefined {
  return testDriver() === 'postgresql' ? process.env[ENV] : undefined;
}

/** Copies the migrated SQLite template into a data folder (as its vetlab.sqlite); false when there is none. */
export function copySqliteTemplate(dataDir: string): boolean {
  const template = testDriver() === 'sqlite' ? process.env[ENV] : undefined;
  if (!template || !existsSync(template)) return false;
  // The database file and any journal beside it.
  const name = template.slice(dirname(template).length + 1);
  for (const f of readdirSync(dirname(template)).filter((n) => n.startsWith(name))) copyFileSync(join(dirname(template), f), join(dataDir, f));
  return true;
}
