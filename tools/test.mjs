#!/usr/bin/env node
// `npm test`: every check CI runs, in order, stopping at the first failing stage:
//   services → typecheck → lint → unit → integration (SQLite, then PostgreSQL) → browser → bench → chaos
// and always ending with a summary whose last line is `tests: N passed, N failed`.
//
//   node tools/test.mjs                          everything
//   node tools/test.mjs --only=unit,lint         some stages (services are checked when needed)
//   node tools/test.mjs --skip=typecheck,lint    all but some stages
//   node tools/test.mjs --only=integration --db=postgresql -- protocols
//                                                one database; args after `--` go to jest/vitest
//                                                (test path patterns, -t "name", ...)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const require = createRequire(import.meta.url);

const STAGES = ['services', 'typecheck', 'lint', 'unit', 'integration', 'browser', 'bench', 'chaos'];
const NEEDS_SERVICES = new Set(['integration', 'browser', 'bench', 'chaos']);
const DATABASES = ['sqlite', 'postgresql'];
const RESULTS = join(root, 'tmp/test-results');
// A run that exceeds its budget is killed (with its whole process tree): a stuck test must fail
// CI with a message, not eat its time limit.
const MINUTE = 60_000;
const BUDGET = { typecheck: 5 * MINUTE, lint: 3 * MINUTE, unit: 5 * MINUTE, integration: 12 * MINUTE, browser: 10 * MINUTE, build: 3 * MINUTE, bench: 4 * MINUTE, chaos: 6 * MINUTE };

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TEST_PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
  // Jest reads its TypeScript configs through ts-node; reading them needs no type-check, which
  // cost a second of CPU per Jest run.
  TS_NODE_TRANSPILE_ONLY: 'true',
};

// ── arguments ────────────────────────────────────────────────────────────────────────────────
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const passThrough = dash >= 0 ? argv.slice(dash + 1) : [];
const opts = dash >= 0 ? argv.slice(0, dash) : argv;
const listOpt = (name) => {
  const a = opts.find((o) => o.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3).split(',').map((s) => s.trim()).filter(Boolean) : null;
};
if (opts.includes('--help') || opts.includes('-h')) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^#!.*\n/, '').replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const only = listOpt('only');
const skip = listOpt('skip') ?? [];
const dbs = listOpt('db') ?? DATABASES;
for (const s of [...(only ?? []), ...skip]) if (!STAGES.includes(s)) usage(`unknown stage "${s}"`);
for (const d of dbs) if (!DATABASES.includes(d)) usage(`unknown database "${d}"`);
const unknown = opts.filter((o) => !/^--(only|skip|db)=/.test(o));
if (unknown.length) usage(`unknown option ${unknown.join(' ')}`);

function usage(message) {
  console.error(`tools/test.mjs: ${message}\nstages: ${STAGES.join(', ')}; databases: ${DATABASES.join(', ')}; --help for usage`);
  process.exit(2);
}

const selected = STAGES.filter((s) => (only ? only.includes(s) : true) && !skip.includes(s));
// Integration and browser tests cannot pass without Redis and the database: check them first.
if (!selected.includes('services') && !skip.includes('services') && selected.some((s) => NEEDS_SERVICES.has(s))) {
  selected.unshift('services');
}

// ── running commands ─────────────────────────────────────────────────────────────────────────
const bin = (name) => join(root, 'node_modules/.bin', name);
let current = null;

/** Runs a command with inherited output; resolves { code, timedOut }. Never rejects. */
function run(cmd, args, { budget, extraEnv = {} } = {}) {
  console.log(`\n$ ${[relative(root, cmd) || cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    // Own process group, so a timeout or Ctrl-C ends jest workers and nx children too.
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv }, detached: true });
    current = child;
    let timedOut = false;
    const timer = budget
      ? setTimeout(() => {
          timedOut = true;
          console.error(`\n✖ still running after ${budget / MINUTE} min; stopping it (a hung test or an open handle?)`);
          killGroup(child, 'SIGTERM');
          setTimeout(() => killGroup(child, 'SIGKILL'), 5000).unref();
        }, budget)
      : null;
    child.on('error', (e) => {
      console.error(`✖ could not start ${cmd}: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      current = null;
      resolve({ code: code ?? (signal ? 128 : 1), timedOut });
    });
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    if (current) killGroup(current, 'SIGTERM');
    else finish();
  });
}

/** Test counts from a jest `--json` file or vitest's json reporter (same shape). */
function readCounts(file) {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    // A suite that cannot even load (syntax error, failing import) has no failed *tests*; count it.
    const broken = r.numRuntimeErrorTestSuites ?? 0;
    return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + broken };
  } catch {
    return null;
  }
}

/**
 * One jest or vitest run with a JSON report. A run that fails without a failed test in its report
 * (crash, timeout, global setup refusing a missing service) still counts as one failure, so the
 * final line never reads "0 failed" for a red run.
 */
async function testRun(label, cmd, args, { budget, extraEnv, jsonFile }) {
  rmSync(jsonFile, { force: true });
  const { code, timedOut } = await run(cmd, args, { budget, extraEnv });
  const counts = readCounts(jsonFile) ?? { passed: 0, failed: 0 };
  const ok = code === 0 && !timedOut;
  if (!ok && counts.failed === 0) counts.failed = 1;
  const how = timedOut ? ' (timed out)' : !ok && !existsSync(jsonFile) ? ' (no test report: did it start?)' : '';
  return { ok, timedOut, ...counts, detail: `${label}: ${counts.passed} passed, ${counts.failed} failed${how}` };
}

const jestArgs = (name) => ['--json', `--outputFile=${join(RESULTS, `${name}.json`)}`, ...(passThrough.length ? ['--passWithNoTests', ...passThrough] : [])];

// ── stages ───────────────────────────────────────────────────────────────────────────────────
/** Each stage resolves { ok, passed?, failed?, detail?, skipped? }. */
const stageImpl = {
  async services() {
    // PostgreSQL matters to the integration runs only (and to a plain `--only=services`).
    const needPg = dbs.includes('postgresql') && (selected.includes('integration') || !selected.some((s) => NEEDS_SERVICES.has(s)));
    const checks = [
      check(
        'Redis',
        REDIS_URL,
        pingRedis,
        `start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no (or set REDIS_URL)`,
      ),
    ];
    if (needPg) {
      checks.push(
        check(
          'PostgreSQL',
          TEST_PG_URL,
          pingPostgres,
          `start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start; ` +
            `it needs a database "test" that user postgres may use (or set TEST_PG_URL, or run --db=sqlite)`,
        ),
      );
    }
    const results = await Promise.all(checks);
    for (const r of results) console.log(r.ok ? `✔ ${r.line}` : `✖ ${r.line}`);
    return { ok: results.every((r) => r.ok), detail: results.map((r) => r.short).join(', ') };
  },

  async typecheck() {
    const r = await run(bin('nx'), ['run-many', '-t', 'typecheck', '--parallel=2', '--outputStyle=stream'], { budget: BUDGET.typecheck });
    return { ok: r.code === 0 && !r.timedOut };
  },

  async lint() {
    // `eslint .` rather than each project's lint target: it also covers tools/ and root configs.
    const r = await run(bin('eslint'), ['.'], { budget: BUDGET.lint });
    return { ok: r.code === 0 && !r.timedOut };
  },

  async unit() {
    const runs = [
      await testRun('jest', bin('jest'), ['-c', 'jest.config.ts', ...jestArgs('unit-jest')], {
        budget: BUDGET.unit,
        jsonFile: join(RESULTS, 'unit-jest.json'),
      }),
    ];
    const webJson = join(RESULTS, 'unit-web.json');
    runs.push(
      await testRun(
        'vitest',
        bin('vitest'),
        [
          'run',
          '--config',
          'apps/web/vitest.config.ts',
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${webJson}`,
          ...(passThrough.length ? ['--passWithNoTests', ...passThrough] : []),
        ],
        { budget: BUDGET.unit, jsonFile: webJson },
      ),
    );
    return combine(runs);
  },

  async integration() {
    const runs = [];
    for (const db of dbs) {
      const r = await testRun(db, bin('jest'), ['-c', 'apps/api/jest.int.config.ts', ...jestArgs(`integration-${db}`)], {
        budget: BUDGET.integration,
        extraEnv: { TEST_DB: db },
        jsonFile: join(RESULTS, `integration-${db}.json`),
      });
      runs.push(r);
      if (r.timedOut || interrupted) break;
    }
    return combine(runs);
  },

  // Browser tests (the built SPA in real Chromium through playwright-core). The hook: the first
  // of these that exists runs after a full build (`node tools/build.mjs`), with the services up:
  //   1. apps/web/e2e/jest.config.ts    run as `jest -c apps/web/e2e/jest.config.ts --json ...`
  //   2. an npm script "test:browser"   run as `npm run test:browser`; it may write a jest-style
  //                                     JSON report to $TEST_RESULTS_FILE for the counts.
  async browser() {
    const jestConfig = ['apps/web/e2e/jest.config.ts', 'apps/web/e2e/jest.config.mts'].find((f) => existsSync(f));
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    const script = pkg.scripts?.['test:browser'];
    if (!jestConfig && !script) {
      console.log('no browser tests yet: add apps/web/e2e/jest.config.ts (or an npm script "test:browser") to run them here');
      return { ok: true, skipped: true, detail: 'no browser tests yet' };
    }
    const build = await run(process.execPath, ['tools/build.mjs'], { budget: BUDGET.build });
    if (build.code !== 0 || build.timedOut) return { ok: false, failed: 1, passed: 0, detail: 'build failed' };
    const jsonFile = join(RESULTS, 'browser.json');
    const r = jestConfig
      ? await testRun('browser', bin('jest'), ['-c', jestConfig, ...jestArgs('browser')], { budget: BUDGET.browser, jsonFile })
      : await testRun('browser', 'npm', ['run', 'test:browser', '--', ...passThrough], {
          budget: BUDGET.browser,
          extraEnv: { TEST_RESULTS_FILE: jsonFile },
          jsonFile,
        });
    return combine([r]);
  },
};

/** The bench and the chaos drill run the API's build: made when there is none. */
async function apiBuilt() {
  if (existsSync('dist/api/apps/api/src/main.js')) return true;
  const build = await run(process.execPath, ['tools/build.mjs', 'api'], { budget: BUDGET.build });
  return build.code === 0 && !build.timedOut;
}

// The benchmark's smoke run (tiny sizes, SQLite): keeps `npm run bench` from rotting. It fails only
// when the bench crashes; a missed performance target is reported by the bench, never failed here.
stageImpl.bench = async function bench() {
  if (!(await apiBuilt())) return { ok: false, failed: 1, passed: 0, detail: 'build failed' };
  const r = await run(process.execPath, ['tools/run-ts.mjs', 'bench/run.ts', '--smoke', '--no-build'], { budget: BUDGET.bench });
  const ok = r.code === 0 && !r.timedOut;
  return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1, detail: ok ? 'smoke run completed' : 'bench smoke run failed' };
};

// The chaos drill's short profile (SQLite): workers killed, Redis restarted, SMTP refusing while
// users work. Unlike the bench it fails the stage: anything lost or duplicated, a 5xx other than
// 503, a request left without an answer, or a drill that does not settle.
stageImpl.chaos = async function chaos() {
  if (!(await apiBuilt())) return { ok: false, failed: 1, passed: 0, detail: 'build failed' };
  const r = await run(process.execPath, ['tools/run-ts.mjs', 'bench/chaos/run.ts', '--short', '--no-build'], { budget: BUDGET.chaos });
  const ok = r.code === 0 && !r.timedOut;
  return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1, detail: ok ? 'short drill: nothing lost or duplicated' : 'short drill failed (see its table)' };
};

function combine(runs) {
  return {
    ok: runs.every((r) => r.ok),
    passed: runs.reduce((n, r) => n + r.passed, 0),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    detail: runs.map((r) => r.detail).join('; '),
  };
}

// ── service checks ───────────────────────────────────────────────────────────────────────────
const TIMEOUT_MS = 3000;

function withTimeout(promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(name, url, ping, howToStart) {
  const safeUrl = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  try {
    await withTimeout(ping(url));
    return { ok: true, line: `${name} answers at ${safeUrl}`, short: `${name} ok` };
  } catch (e) {
    return { ok: false, line: `${name} is not reachable at ${safeUrl} (${e.message}); ${howToStart}`, short: `${name} unreachable` };
  }
}

async function pingRedis(url) {
  const Redis = require('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with a vague "Connection is closed"; the socket's own error says more.
  let cause = null;
  client.on('error', (e) => (cause ??= e));
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected answer ${pong}`);
  } catch (e) {
    throw cause ?? e;
  } finally {
    client.disconnect();
  }
}

async function pingPostgres(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────
const outcome = new Map(); // stage → { status, ms, passed, failed, detail }

async function main() {
  rmSync(RESULTS, { recursive: true, force: true });
  mkdirSync(RESULTS, { recursive: true });
  console.log(`stages: ${selected.join(' → ')}`);
  for (const stage of selected) {
    if (interrupted) break;
    console.log(`\n━━ ${stage} ${'━'.repeat(Math.max(3, 70 - stage.length))}`);
    const started = Date.now();
    let r;
    try {
      r = await stageImpl[stage]();
    } catch (e) {
      console.error(`✖ ${stage} crashed: ${e.stack ?? e}`);
      r = { ok: false, detail: e.message };
    }
    const status = interrupted ? 'interrupted' : r.skipped ? 'skipped' : r.ok ? 'passed' : 'failed';
    outcome.set(stage, { status, ms: Date.now() - started, passed: r.passed ?? 0, failed: r.failed ?? 0, detail: r.detail ?? '' });
    if (!r.ok) break;
  }
  finish();
}

function finish() {
  let passed = 0;
  let failed = 0;
  console.log(`\n━━ summary ${'━'.repeat(63)}`);
  for (const stage of selected) {
    const o = outcome.get(stage);
    if (!o) {
      console.log(`  ${stage.padEnd(12)} ${'not run'.padEnd(11)}`);
      continue;
    }
    passed += o.passed;
    // A red stage without test counts (typecheck, lint, services) is one failure.
    failed += o.status === 'failed' || o.status === 'interrupted' ? Math.max(1, o.failed) : o.failed;
    const secs = `${(o.ms / 1000).toFixed(1)}s`.padStart(7);
    console.log(`  ${stage.padEnd(12)} ${o.status.padEnd(11)} ${secs}  ${o.detail}`);
  }
  const ok = failed === 0 && !interrupted && selected.every((s) => outcome.has(s));
  console.log(ok ? '\nall checks passed' : `\nsome checks failed; test reports are in ${relative(root, RESULTS)}/`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(interrupted ? 130 : ok ? 0 : 1);
}

main();
