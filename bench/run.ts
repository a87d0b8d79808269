/**
 * npm run bench [-- --smoke] [-- --db=sqlite|postgresql|both] [-- --only=render,capacity,finalize,work-order,verify,annul,bulk,ops,storage] [-- --only=cluster (only by name)]
 * (`decade`, a million protocols under tmp/decade, runs only when asked for: --only=decade [--decade-protocols=N].)
 * (`memory`: a worker role process's RSS idle, rendering, and over `--memory-renders=1000` renders; only with --only=memory.)
 * (`storage`, cached opens with the local folder beside an S3 bucket, runs only when asked for or in a full run, never in --smoke.)
 * Starts the real stack (API and worker processes) on a seeded database, and beside it the
 * synchronous baseline server (bench/baseline/server.ts: the old way, everything inside the request);
 * drives both like browsers, prints one table per scenario with the databases side by side, and
 * writes bench/results/latest.json. It never fails on a missed target: the table says MISSED. A
 * crash is a failure (that is what the smoke run in npm test guards).
 */
import { bulkScenario } from './scenarios/bulk';
import { opsScenario } from './scenarios/ops';
import { finalizeScenario } from './scenarios/finalize';
import { capacityScenario, renderScenario } from './scenarios/render';
import { workOrderScenario } from './scenarios/work-order';
import { verifyScenario } from './scenarios/verify';
import { annulScenario } from './scenarios/annul';
import { clusterScenario } from './scenarios/cluster';
import { storageScenario } from './scenarios/storage';
import { decadeScenario } from './scenarios/decade';
import { memoryScenario } from './scenarios/memory';
import { startBaseline } from './lib/baseline';
import { Figure, machine, printSideBySide, verdict, writeResults } from './lib/report';
import { build, Driver, startStack } from './lib/stack';
import { writeHtmlReport } from './lib/report-html';

/** Tables in this order; a scenario's figures may come from several runs (capacity: render pool and finalize). */
const TABLES: [string, string][] = [
  ['render', 'Rendering (the compiled render pool, one warm thread; no database)'],
  ['finalize', 'Finalize: async (202, then report:ready) against the sync baseline (everything in the request)'],
  ['work-order', 'Work-order PDFs: cached (async) against rendered on every request (sync baseline)'],
  ['verify', 'Public verification page: GET /api/verify/:code under a steady load, known and unknown codes side by side'],
  ['annul', 'Annulment: the VOID PDF ready against a finalize of the same reports (same signers, at once)'],
  ['bulk', 'Bulk actions: async (202, then bulk:completed) against a loop in the request (sync baseline)'],
  ['ops', 'Operations console: the overview under a busy history, and its live updates during a bulk run'],
  ['isolation', "Isolation: event-loop delay of the answering process while renders run"],
  ['capacity', 'Capacity'],
  ['cluster', 'Cluster: 2 API + 2 worker processes behind nginx against one API + one worker process, PostgreSQL (control: a bare handler behind nginx against it directly)'],
  ['memory', 'Memory of the worker role as deployed (a real --role=worker process, one render thread, RSS from /proc): as it ships, and with the render thread memory settings at V8 defaults'],
  ['storage', 'Storage: cached work-order opens with the files in the local folder and in an S3-compatible bucket (+ hot cache)'],
  ['decade', 'A decade of data (a million protocols): lists, search, totals, bulk filter; finalize and opens beside a small database'],
];

async function main() {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const dbArg = args.find((a) => a.startsWith('--db='))?.slice(5) ?? (smoke ? 'sqlite' : 'both');
  const drivers: Driver[] = dbArg === 'both' ? ['sqlite', 'postgresql'] : [dbArg as Driver];
  const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
  const runs = (scenario: string) => !only || only.includes(scenario);
  const started = new Date();
  console.log(`vetlab bench${smoke ? ' (smoke)' : ''}: ${drivers.join(' + ')}`);
  if (!args.includes('--no-build')) build();

  /** scenario → column (a database, or "value" for the ones without one) → figures. */
  const results: Record<string, Record<string, Figure[]>> = {};
  const add = (column: string, figures: Figure[]) => {
    for (const f of figures) ((results[f.scenario] ??= {})[column] ??= []).push(f);
  };

  if (runs('render')) add('value', await renderScenario({ runs: smoke ? 2 : 20 }));
  if (runs('capacity')) add('value', await capacityScenario({ count: smoke ? 4 : 40 }));

  // Only when asked for by name (--only=cluster): it seeds two databases and starts nine processes.
  if (only?.includes('cluster')) {
    for (const [column, figures] of Object.entries(await clusterScenario({ smoke }))) add(column, figures);
  }

  for (const driver of drivers) {
    if (!['finalize', 'work-order', 'verify', 'annul', 'bulk', 'ops'].some(runs)) break;
    // Every overview request computes (the product's default serves one computed copy for 1 s): the ops figures are its own cost.
    // The stranded-job sweep only when a worker starts: the baseline server runs its finalize jobs
    // inside requests, with records in the same database and no Bull job in the stack's queues, and
    // a periodic sweep landing in a sync round would queue them in the stack (a newer run then takes
    // the version from the baseline's request, which fails).
    const stack = await startStack({ driver, profile: smoke ? 'demo' : 'bench', env: { OPS_OVERVIEW_CACHE_MS: '0', JOB_STRANDED_SWEEP_MS: '0' } });
    const baseline = await startBaseline(stack).catch(async (e) => {
      await stack.stop();
      throw e;
    });
    const t0 = Date.now();
    try {
      if (runs('finalize')) {
        const figures = await finalizeScenario(stack.url, {
          signers: smoke ? 2 : 20,
          rounds: smoke ? 1 : 3,
          password: 'vetlab-staff',
          adminPassword: 'vetlab-admin',
          baseline,
          apiEventLoop: stack.eventLoop,
          quiet: stack.quiet,
          smoke,
          restartWorker: stack.restartWorker,
          capacityRounds: smoke ? 1 : 3,
          workerPid: () => stack.workerPids()[0] ?? null,
          renderThreads: Number(stack.env.RENDER_THREADS ?? 1),
          idle: smoke ? 1 : 10,
        });
        add(driver, figures);
      }
      if (runs('work-order')) {
        const figures = await workOrderScenario(stack.url, {
          cold: smoke ? 2 : 20,
          connections: smoke ? 4 : 20,
          seconds: smoke ? 1 : 10,
          renderSeconds: smoke ? 1 : 5,
          password: 'vetlab-vet',
          baselineUrl: baseline.url,
        });
        add(driver, figures);
      }
      // Before bulk: it finalizes a few of the fully resulted drafts that are left.
      if (runs('verify')) {
        add(driver, await verifyScenario(stack.url, { reports: smoke ? 2 : 10, rate: 200, seconds: smoke ? 1 : 10, adminPassword: 'vetlab-admin', signerPassword: 'vetlab-staff' }));
      }
      // Finalizes two-page drafts (after finalize and verify took theirs), then annuls those versions.
      if (runs('annul')) {
        add(driver, await annulScenario(stack.url, { signers: smoke ? 2 : 20, rounds: smoke ? 1 : 2, warm: !smoke, password: 'vetlab-staff', adminPassword: 'vetlab-admin', quiet: stack.quiet }));
      }
      // Last: its 10,000-item run rejects every submitted protocol the scenarios above start from.
      if (runs('bulk')) add(driver, await bulkScenario(stack.url, { smoke, adminPassword: 'vetlab-admin', baselineUrl: baseline.url }));
      // After bulk: its job history and a queue 10,000 deep, then a bulk run over protocols in any status.
      if (runs('ops')) add(driver, await opsScenario(stack, { smoke, adminPassword: 'vetlab-admin' }));
    } finally {
      await baseline.stop();
      await stack.stop();
    }
    console.log(`  ${driver}: scenarios done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }

  // Two stacks of its own (local folder, then S3), on the first database asked for; not part of --smoke.
  if (only ? only.includes('storage') : !smoke) {
    const byColumn = await storageScenario({ driver: drivers[0], profile: 'demo', workOrders: 20, connections: 20, rounds: smoke ? 1 : 4, seconds: smoke ? 2 : 5, password: 'vetlab-vet' });
    for (const [column, figures] of Object.entries(byColumn)) add(column, figures);
  }

  // Only when asked for (--only=decade): seeds, or reuses, a million protocols per database under tmp/decade.
  if (only?.includes('decade') && !smoke) {
    const protocols = Number(args.find((a) => a.startsWith('--decade-protocols='))?.slice(19) ?? 1_000_000);
    for (const driver of drivers) add(driver, await decadeScenario({ driver, protocols, requests: 200 }));
  }

  // A worker process of its own per variant (SQLite): only when asked for (`--only=memory`), never in a full run or --smoke.
  if (only?.includes('memory')) {
    const renders = Number(args.find((a) => a.startsWith('--memory-renders='))?.slice(17) ?? 1000);
    const byColumn = await memoryScenario({ renders, sizeRuns: 10 });
    for (const [column, figures] of Object.entries(byColumn)) add(column, figures);
  }

  const tables = TABLES.filter(([scenario]) => results[scenario]).map(([scenario, title]) => {
    const byColumn = results[scenario];
    // Capacity mixes the render pool's figures (no database) with finalize's (per database).
    if (byColumn.value && Object.keys(byColumn).length > 1) {
      const { value, ...perDriver } = byColumn;
      return [printSideBySide(`${title}: render pool`, { value }), printSideBySide(`${title}: end to end`, perDriver)].join('\n\n');
    }
    return printSideBySide(title, byColumn);
  });

  const all = Object.values(results).flatMap((byColumn) => Object.entries(byColumn).flatMap(([column, figures]) => figures.map((f) => ({ column, f }))));
  const missed = all.filter(({ f }) => verdict(f) === 'MISSED');
  const file = writeResults(smoke ? 'smoke.json' : 'latest.json', {
    date: started.toISOString(),
    smoke,
    machine: machine(),
    figures: results,
    tables,
    titles: Object.fromEntries(TABLES),
    missed: missed.map(({ column, f }) => `${f.scenario} (${column}): ${f.name}`),
  });
  console.log(`results written to ${file}`);
  console.log(`charts written to ${writeHtmlReport(file)}`);
  if (missed.length) console.log(`targets missed: ${missed.length} (see the table)`);
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
