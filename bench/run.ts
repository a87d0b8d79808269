/**
 * npm run bench [-- --smoke] [-- --db=sqlite|postgresql|both] [-- --only=render,finalize,work-order,bulk]
 * Starts the real stack (API and worker processes) on a seeded database, drives it like browsers,
 * prints a table and writes bench/results/latest.json. It never fails on a missed target: the
 * table says MISSED. A crash is a failure (that is what the smoke run in npm test guards).
 */
import { bulkScenario } from './scenarios/bulk';
import { finalizeScenario } from './scenarios/finalize';
import { renderScenario } from './scenarios/render';
import { workOrderScenario } from './scenarios/work-order';
import { Figure, machine, printTable, verdict, writeResults } from './lib/report';
import { build, Driver, startStack } from './lib/stack';

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

  const results: Record<string, Figure[]> = {};
  const tables: string[] = [];

  if (runs('render')) {
    const render = await renderScenario({ runs: smoke ? 2 : 20 });
    results.render = render;
    tables.push(printTable('Rendering (one warm render thread, compiled build)', render));
  }

  for (const driver of drivers) {
    const stack = await startStack({ driver, profile: smoke ? 'demo' : 'bench' });
    try {
      if (runs('finalize')) {
        const figures = await finalizeScenario(stack.url, {
          signers: smoke ? 2 : 20,
          rounds: smoke ? 1 : 3,
          password: 'vetlab-staff',
          adminPassword: 'vetlab-admin',
        });
        results[`finalize-${driver}`] = figures;
        tables.push(printTable(`Finalize on ${driver}`, figures));
      }
      if (runs('work-order')) {
        const figures = await workOrderScenario(stack.url, {
          cold: smoke ? 2 : 20,
          connections: smoke ? 4 : 20,
          seconds: smoke ? 1 : 10,
          password: 'vetlab-vet',
        });
        results[`work-order-${driver}`] = figures;
        tables.push(printTable(`Work-order PDFs on ${driver}`, figures));
      }
      // Last: its 10,000-item run rejects every submitted protocol the scenarios above start from.
      if (runs('bulk')) {
        const bulk = await bulkScenario(stack.url, { smoke, adminPassword: 'vetlab-admin' });
        results[`bulk-${driver}`] = bulk;
        tables.push(printTable(`Bulk actions on ${driver}`, bulk));
      }
    } finally {
      await stack.stop();
    }
  }

  const all = Object.values(results).flat();
  const missed = all.filter((f) => verdict(f) === 'MISSED');
  const file = writeResults(smoke ? 'smoke.json' : 'latest.json', {
    date: started.toISOString(),
    smoke,
    machine: machine(),
    figures: results,
    tables,
    missed: missed.map((f) => `${f.scenario}: ${f.name}`),
  });
  console.log(`results written to ${file}`);
  if (missed.length) console.log(`targets missed: ${missed.length} (see the table)`);
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
