/**
 * npm run chaos [-- --short] [-- --db=sqlite|postgresql] [-- --seed=N] [-- --no-build]
 *
 * The chaos drill: the built product (one API process, two worker processes, as production runs
 * them) on a seeded database of its own, with a Redis (AOF) and an SMTP server of its own. Signers
 * finalize, vets open work orders, an admin runs a bulk receive, while a random worker is killed
 * with SIGKILL every few seconds, Redis is killed and restarted once, and SMTP refuses every
 * message for a while. Then it waits (bounded) until everything settles and checks every promise:
 * one stored PDF per accepted finalize, matching the database; one mail per recipient, its
 * attachment the stored PDF (a repeat whose earlier sender was killed after the server took it,
 * the window SMTP leaves open, is reported apart: verify.ts); one audit entry per finalized version and per bulk item; every opened
 * work order rendered, once per content version. Prints a table (also written as JSON under
 * bench/results/chaos/) and exits non-zero when anything was lost or duplicated, a request
 * answered a 5xx other than 503 or not at all, or the drill did not settle.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startRedis } from '../../apps/api/test/support/redis-server';
import { startSmtp } from '../../apps/api/test/support/smtp';
import { compiledApi } from '../lib/api';
import { login } from '../lib/client';
import { machine, writeResults } from '../lib/report';
import { build, BenchStack, Driver, startStack } from '../lib/stack';
import { candidates } from '../scenarios/finalize';
import { openDatabase } from './db';
import { FaultSchedule, FaultWindow, runFaults } from './faults';
import { bulkProtocols, LoadPlan, Requests, runLoad, Sample, workOrdersOf } from './load';
import { pidOfLocalPort } from './senders';
import { checkOutcomes, Kill, Outcomes, unsettled } from './verify';

const { Prng } = compiledApi<typeof import('../../apps/api/src/seed/prng')>('seed/prng');

interface Profile {
  seed: 'demo' | 'bench';
  loadMs: number;
  /** The longest the drill waits, after the load, for everything promised to happen. */
  settleMs: number;
  bulkItems: number;
  signers: number;
  vets: number;
  opensPerVet: number;
  faults: FaultSchedule;
}

const PROFILES: Record<'short' | 'full', Profile> = {
  short: {
    seed: 'demo',
    loadMs: 30_000,
    settleMs: 60_000,
    bulkItems: 500,
    signers: 2,
    vets: 2,
    opensPerVet: 12,
    faults: { killEveryMs: 5000, redisAtMs: 9000, redisDownMs: 3000, smtpAtMs: 14_000, smtpRefusingMs: 10_000 },
  },
  full: {
    seed: 'bench',
    loadMs: 150_000,
    settleMs: 300_000,
    bulkItems: 5000,
    signers: 8,
    vets: 4,
    opensPerVet: 40,
    faults: { killEveryMs: 8000, redisAtMs: 40_000, redisDownMs: 10_000, smtpAtMs: 70_000, smtpRefusingMs: 45_000 },
  },
};

/**
 * Timings made small so that a kill, a Redis restart or an SMTP refusal is noticed and retried
 * within seconds (production defaults are tens of seconds): a killed worker's lock expires in 2 s,
 * the stranded-job sweep runs every 2 s, retries start 200 ms apart. SMTP refuses for longer than
 * all five attempts take at these timings.
 */
const STACK_ENV = {
  JOB_LOCK_MS: '2000',
  JOB_STALLED_CHECK_MS: '1000',
  JOB_BACKOFF_MS: '200',
  JOB_STRANDED_SWEEP_MS: '2000',
  JOB_STRANDED_GRACE_MS: '2000',
  // Mail retries and a killed sender's lease on the drill's clock, not a lab's (30 s to 10 min, 5 min).
  MAIL_RETRY_MIN_MS: '500',
  MAIL_RETRY_MAX_MS: '2000',
  MAIL_LEASE_MS: '10000',
  SHUTDOWN_GRACE_MS: '2000',
  RENDER_WARM_UP_RENDERS: '0',
  BULK_CHUNK_SIZE: '50',
  // Work orders are rendered when opened only: the opens are the load, not a pre-render backlog.
  WORK_ORDER_PDF_PRERENDER: 'false',
  // The workers say "worker started" at this level: how the drill knows a restart is done.
  LOG_LEVEL: 'log',
  NO_COLOR: '1',
};

const WORKERS = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exit code: 1 when a promise was broken, an answer was a 5xx other than 503 or missing, or nothing settled. */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const short = args.includes('--short');
  const driver = (args.find((a) => a.startsWith('--db='))?.slice(5) ?? 'sqlite') as Driver;
  if (driver !== 'sqlite' && driver !== 'postgresql') throw new Error(`--db must be sqlite or postgresql (got ${driver})`);
  const seed = Number(args.find((a) => a.startsWith('--seed='))?.slice(7) ?? Math.floor(Math.random() * 1e6));
  const profile = PROFILES[short ? 'short' : 'full'];
  const name = `${short ? 'short' : 'full'}-${driver}`;
  console.log(`vetlab chaos drill (${short ? 'short' : 'full'}, ${driver}), seed ${seed}: replay with --seed=${seed}`);
  if (!args.includes('--no-build')) build();
  const logFile = join(__dirname, '../results/chaos', `${name}.log`);
  mkdirSync(dirname(logFile), { recursive: true });
  rmSync(logFile, { force: true });

  const redis = await startRedis({ appendonly: true });
  let stack: BenchStack | null = null;
  // Which worker each accepted message came from: a repeat is excused only when its sender was killed after (verify.ts).
  const smtp = await startSmtp({ senderOf: (port) => pidOfLocalPort(port, stack?.workerPids() ?? []) });
  try {
    stack = await startStack({
      driver,
      profile: profile.seed,
      workers: WORKERS,
      name: 'chaos',
      logFile,
      env: { ...STACK_ENV, REDIS_URL: redis.url, SMTP_URL: smtp.url },
    });
    const prng = new Prng(seed);
    const setupStart = Date.now();
    const adminToken = await login(stack.url, 'admin@vetlab.local', 'vetlab-admin');
    const vetEmails = Array.from({ length: profile.vets }, (_, i) => `vet${i + 1}@vetlab.local`);
    const vets = await Promise.all(vetEmails.map(async (email) => ({ email, token: await login(stack!.url, email, 'vetlab-vet') })));
    const bulkIds = await bulkProtocols(
      stack.url,
      adminToken,
      vets.map((v) => v.token),
      profile.bulkItems,
    );
    const pool = await candidates(stack.url, adminToken);
    const finalizeReports = prng.sample([...pool.small, ...pool.medium, ...pool.large.slice(0, 2)], Infinity).map((c) => c.reportId);
    const plan: LoadPlan = {
      finalizeReports,
      signers: Array.from({ length: profile.signers }, (_, i) => `firmante${i + 1}@vetlab.local`),
      signerPauseMs: Math.max(300, (profile.loadMs * profile.signers) / Math.max(1, finalizeReports.length)),
      workOrders: await workOrdersOf(stack.url, vets, new Set(bulkIds), profile.opensPerVet),
      bulkProtocolIds: bulkIds,
    };
    console.log(
      `  ${plan.finalizeReports.length} reports to finalize, ${bulkIds.length} protocols to receive in bulk, ` +
        `${[...plan.workOrders.values()].flat().length} work orders to open (set up in ${((Date.now() - setupStart) / 1000).toFixed(0)} s); ` +
        `load for ${profile.loadMs / 1000} s`,
    );

    const t0 = Date.now();
    const req = new Requests(stack.url, t0);
    const loading = () => Date.now() - t0 < profile.loadMs;
    const [load, windows] = await Promise.all([
      runLoad(req, plan, { signer: 'vetlab-staff', vet: 'vetlab-vet', admin: 'vetlab-admin' }, prng.fork('load'), loading),
      runFaults(stack, WORKERS, redis, smtp, profile.faults, prng.fork('faults'), () => Date.now() - t0, loading),
    ]);

    const kills: Kill[] = windows.flatMap((w) => (w.fault === 'worker SIGKILL' && w.pid ? [{ pid: w.pid, at: t0 + (w.exitedAt ?? w.from) }] : []));
    // Settling: poll until nothing promised is missing and the queues are empty, or give up.
    const db = openDatabase(stack);
    const settleStart = Date.now();
    let left: string[] = [];
    let outcomes: Outcomes;
    try {
      for (;;) {
        left = unsettled(await checkOutcomes(db, join(stack.dataDir, 'files'), smtp, load, kills, false));
        const remaining = profile.settleMs - (Date.now() - settleStart);
        if (!left.length) {
          const quiet = await Promise.race([stack.quiet().then(() => true), sleep(Math.max(remaining, 0)).then(() => false)]);
          if (quiet) break;
          left = ['queues still busy'];
        }
        if (remaining <= 0) break;
        await sleep(1000);
      }
      // A moment longer: a duplicate mail sent late is still caught.
      await sleep(1500);
      outcomes = await checkOutcomes(db, join(stack.dataDir, 'files'), smtp, load, kills, true);
    } finally {
      await db.destroy();
    }
    const settled = left.length === 0;
    const settleMs = Date.now() - settleStart;

    const rows = faultRows(req.samples, windows);
    const outcomeRows = outcomeTable(outcomes);
    const failures = [
      ...outcomeRows.filter((r) => r.lost || r.duplicated).map((r) => `${r.what}: ${r.lost} lost, ${r.duplicated} duplicated`),
      ...rows.filter((r) => r.fault === 'all' && (r.other5xx || r.noAnswer)).map((r) => `${r.other5xx} answers 5xx other than 503, ${r.noAnswer} requests without an answer`),
      ...(settled ? [] : [`did not settle within ${profile.settleMs / 1000} s after the load: ${left.join('; ')}`]),
    ];
    const table = printTables(rows, outcomeRows, settled ? `settled ${(settleMs / 1000).toFixed(1)} s after the load` : `NOT settled after ${profile.settleMs / 1000} s`);
    console.log(`\n${table}`);
    for (const r of outcomeRows) for (const e of r.examples) console.log(`  ${r.what}: ${e}`);
    const resent = outcomes.resentAfterKill;
    if (resent.count) {
      console.log(`\n${resent.count} mail(s) went again, same Message-ID and attachment: the SMTP server had taken them when their sender was killed, before it recorded them (docs/architecture.md, the SMTP window)`);
      for (const e of resent.examples) console.log(`  ${e}`);
    }
    const file = writeResults(`chaos/${name}.json`, {
      date: new Date(t0).toISOString(),
      profile: short ? 'short' : 'full',
      driver,
      seed,
      machine: machine(),
      schedule: profile,
      windows,
      faults: rows,
      outcomes: outcomeRows,
      resentAfterKill: resent,
      settled,
      settleMs,
      failures,
      table,
    });
    console.log(`\nresults written to ${file}; the processes' log is ${logFile}`);
    if (failures.length) {
      console.log(`\nFAILED (replay with --seed=${seed}):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      return 1;
    }
    console.log('\nnothing lost, nothing duplicated, every answer a 2xx, 4xx or 503');
    return 0;
  } finally {
    await stack?.stop();
    await smtp.close();
    await redis.close();
  }
}

interface FaultRow {
  fault: string;
  windows: number;
  seconds: number;
  requests: number;
  slowestMs: number;
  other5xx: number;
  status503: number;
  noAnswer: number;
}

/** The requests in flight during each kind of fault (a request may fall in several), during none, and all. */
function faultRows(samples: Sample[], windows: FaultWindow[]): FaultRow[] {
  const during = (s: Sample, w: FaultWindow) => s.start <= (w.to ?? Infinity) && s.start + s.ms >= w.from;
  const row = (fault: string, ws: FaultWindow[], of: Sample[]): FaultRow => ({
    fault,
    windows: ws.length,
    seconds: Math.round(ws.reduce((n, w) => n + ((w.to ?? w.from) - w.from), 0) / 100) / 10,
    requests: of.length,
    slowestMs: Math.round(Math.max(0, ...of.map((s) => s.ms))),
    other5xx: of.filter((s) => s.status >= 500 && s.status !== 503).length,
    status503: of.filter((s) => s.status === 503).length,
    noAnswer: of.filter((s) => s.status === 0).length,
  });
  const kinds = [...new Set(windows.map((w) => w.fault))];
  return [
    ...kinds.map((k) => {
      const ws = windows.filter((w) => w.fault === k);
      return row(k, ws, samples.filter((s) => ws.some((w) => during(s, w))));
    }),
    row('none', [], samples.filter((s) => !windows.some((w) => during(s, w)))),
    row('all', windows, samples),
  ];
}

interface OutcomeRow {
  what: string;
  expected: number;
  lost: number;
  duplicated: number;
  examples: string[];
}

function outcomeTable(o: Outcomes): OutcomeRow[] {
  return [
    { what: 'PDFs (accepted finalizes)', ...o.pdfs },
    { what: 'mails (per Message-ID and recipient)', ...o.mails },
    { what: 'finalize audit entries', ...o.audit },
    { what: 'bulk items (change + audit entry)', ...o.bulkItems },
    { what: 'work-order PDFs (opens; renders)', ...o.workOrderPdfs },
  ];
}

function printTables(rows: FaultRow[], outcomes: OutcomeRow[], settled: string): string {
  const line = (cells: (string | number)[], widths: number[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  const fw = [20, 8, 9, 9, 10, 9, 6, 10];
  const ow = [38, 9, 6, 11];
  return [
    line(['fault', 'windows', 'seconds', 'requests', 'slowest ms', '5xx≠503', '503', 'no answer'], fw),
    ...rows.map((r) => line([r.fault, r.windows, r.seconds, r.requests, r.slowestMs, r.other5xx, r.status503, r.noAnswer], fw)),
    '',
    line(['promise', 'expected', 'lost', 'duplicated'], ow),
    ...outcomes.map((r) => line([r.what, r.expected, r.lost, r.duplicated], ow)),
    '',
    settled,
  ].join('\n');
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
