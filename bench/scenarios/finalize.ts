import type { Page, ProtocolDetail, ProtocolSummary, ReportView } from '@vetlab/shared';
import { api, BenchUser, connectUser, login } from '../lib/client';
import type { EventLoopDelay } from '../lib/stack';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';

interface Candidate {
  reportId: string;
  rows: number;
}

/** In-analysis protocols whose draft is fully resulted, by size (rows ≈ 35 per printed page). */
async function candidates(url: string, token: string): Promise<{ small: Candidate[]; medium: Candidate[]; large: Candidate[] }> {
  const out = { small: [] as Candidate[], medium: [] as Candidate[], large: [] as Candidate[] };
  for (let page = 1; page < 50; page++) {
    const list = await api<Page<ProtocolSummary>>(url, token, 'GET', `/protocols?status=in_analysis&pageSize=200&page=${page}`);
    for (const p of list.body.items) {
      const detail = await api<ProtocolDetail>(url, token, 'GET', `/protocols/${p.id}`);
      const report = await api<ReportView>(url, token, 'GET', `/reports/${detail.body.reportId}`);
      const draft = report.body.versions.find((v) => v.status === 'draft');
      if (!draft?.complete) continue;
      const c = { reportId: report.body.id, rows: draft.rows.length };
      (c.rows > 300 ? out.large : c.rows > 100 ? out.medium : out.small).push(c);
    }
    if (list.body.items.length < 200) break;
  }
  return out;
}

function waitReady(user: BenchUser, reportId: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      user.socket.off('report:ready', on);
      reject(new Error(`no report:ready for ${reportId} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (e: { reportId: string }) => {
      if (e.reportId !== reportId) return;
      clearTimeout(timer);
      user.socket.off('report:ready', on);
      resolve(performance.now());
    };
    user.socket.on('report:ready', on);
  });
}

export interface FinalizeOptions {
  signers: number;
  rounds: number;
  password: string;
  adminPassword: string;
  /** The synchronous baseline server (bench/baseline/server.ts), and its event-loop probe. */
  baseline: { url: string; eventLoop: () => Promise<EventLoopDelay> };
  /** The stack API's event-loop probe. */
  apiEventLoop: () => Promise<EventLoopDelay>;
  /** Smoke (demo data): rounds may be smaller than the number of signers. */
  smoke: boolean;
  /** Capacity: restarts the stack's worker with these variables (RENDER_THREADS=2, then back). */
  restartWorker: (env: Record<string, string>) => Promise<void>;
  /** Rounds of two-page reports finalized with two render threads. */
  capacityRounds: number;
}

interface Outcome {
  size: string;
  answer: number;
  ready: number;
}

interface RoundsResult {
  outcomes: Outcome[];
  first: number;
  last: number;
}

/**
 * The rounds: in each, N signers click "Finalizar" on N different reports at the same moment. Async
 * (the product): the 202, then report:ready on that signer's socket. Sync (the baseline): one
 * request that answers when everything is done, so its answer is also the time to ready.
 */
async function rounds(url: string, signers: BenchUser[], pool: Pools, opts: FinalizeOptions, mode: 'async' | 'sync'): Promise<RoundsResult> {
  const outcomes: Outcome[] = [];
  let first = Infinity;
  let last = 0;
  for (let round = 0; round < opts.rounds; round++) {
    // Round one mixes in the long reports; the rest are the everyday two-pagers.
    const batch: { c: Candidate; size: string }[] = [];
    if (round === 0) {
      for (const c of pool.large.splice(0, 1)) batch.push({ c, size: '20-page' });
      for (const c of pool.medium.splice(0, 2)) batch.push({ c, size: '5-page' });
    }
    while (batch.length < signers.length && pool.small.length) batch.push({ c: pool.small.shift()!, size: '2-page' });
    batch.splice(signers.length);
    if (!batch.length || (batch.length < signers.length && !opts.smoke)) throw new Error(`not enough resulted drafts for ${mode} round ${round + 1}`);
    const results = await Promise.all(
      batch.map(async ({ c, size }, i) => {
        const user = signers[i];
        const t0 = performance.now();
        first = Math.min(first, t0);
        if (mode === 'sync') {
          const res = await api<unknown>(url, user.token, 'POST', `/bench-baseline/reports/${c.reportId}/finalize`);
          if (res.status !== 200) throw new Error(`sync finalize ${c.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
          const t1 = performance.now();
          last = Math.max(last, t1);
          return { size, answer: res.ms, ready: t1 - t0 };
        }
        const readyAt = waitReady(user, c.reportId, 120_000);
        const res = await api<{ jobId: string }>(url, user.token, 'POST', `/reports/${c.reportId}/finalize`);
        if (res.status !== 202) throw new Error(`finalize ${c.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        const t1 = await readyAt;
        last = Math.max(last, t1);
        return { size, answer: res.ms, ready: t1 - t0 };
      }),
    );
    outcomes.push(...results);
  }
  return { outcomes, first, last };
}

type Pools = Awaited<ReturnType<typeof candidates>>;

/**
 * The stack's worker restarted with RENDER_THREADS=2; one unmeasured finalize waits for its warm
 * pool; then rounds of two-page reports only, end to end; then the worker as it was.
 */
async function withTwoRenderThreads(url: string, signers: BenchUser[], pool: Pools, opts: FinalizeOptions): Promise<RoundsResult> {
  await opts.restartWorker({ RENDER_THREADS: '2' });
  try {
    const warm = pool.small.shift();
    if (!warm) throw new Error('no resulted draft left for the capacity run');
    const readyAt = waitReady(signers[0], warm.reportId, 120_000);
    const res = await api<unknown>(url, signers[0].token, 'POST', `/reports/${warm.reportId}/finalize`);
    if (res.status !== 202) throw new Error(`finalize ${warm.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    await readyAt;
    const twoPagers: Pools = { small: pool.small, medium: [], large: [] };
    return await rounds(url, signers, twoPagers, { ...opts, rounds: opts.capacityRounds }, 'async');
  } finally {
    await opts.restartWorker({});
  }
}

const ratio = (sync: number, async: number) => sync / async;

/**
 * Finalize both ways on the same data, one after the other: the product (202, then report:ready),
 * then the synchronous baseline (everything inside the request) with the same signers, rounds and
 * mix of sizes. Also the event-loop delay of the process that answers while those renders run.
 */
export async function finalizeScenario(url: string, opts: FinalizeOptions): Promise<Figure[]> {
  const adminToken = await login(url, 'admin@vetlab.local', opts.adminPassword);
  const pool = await candidates(url, adminToken);
  const signers: BenchUser[] = [];
  for (let i = 1; i <= opts.signers; i++) signers.push(await connectUser(url, `firmante${i}@vetlab.local`, opts.password));

  let async: RoundsResult;
  let sync: RoundsResult;
  let apiLoop: EventLoopDelay;
  let syncLoop: EventLoopDelay;
  let twoThreads: RoundsResult;
  try {
    await opts.apiEventLoop();
    async = await rounds(url, signers, pool, opts, 'async');
    apiLoop = await opts.apiEventLoop();
    await opts.baseline.eventLoop();
    sync = await rounds(opts.baseline.url, signers, pool, opts, 'sync');
    syncLoop = await opts.baseline.eventLoop();
    twoThreads = await withTwoRenderThreads(url, signers, pool, opts);
  } finally {
    for (const s of signers) s.socket.close();
  }
  const at = `${opts.signers} signers at once`;
  const a = summarize(async.outcomes.map((o) => o.answer));
  const r = summarize(async.outcomes.map((o) => o.ready));
  const s = summarize(sync.outcomes.map((o) => o.answer));
  const perSecond = (x: RoundsResult) => (x.outcomes.length * 1000) / (x.last - x.first);
  const figures: Figure[] = [
    { scenario: 'finalize', name: `async: 202 answer p50 (${at})`, value: a.p50, unit: 'ms', runs: a.runs },
    {
      scenario: 'finalize',
      name: `async: 202 answer p99 (${at})`,
      value: a.p99,
      unit: 'ms',
      runs: a.runs,
      target: { op: '<', value: 15 },
      detail: { samples: async.outcomes.map((o) => Math.round(o.answer * 10) / 10) },
    },
    { scenario: 'finalize', name: `sync baseline: answer p50 (${at})`, value: s.p50, unit: 'ms', runs: s.runs },
    { scenario: 'finalize', name: `sync baseline: answer p99 (${at})`, value: s.p99, unit: 'ms', runs: s.runs, detail: { samples: sync.outcomes.map((o) => Math.round(o.answer)) } },
    { scenario: 'finalize', name: 'answer p50 ratio (sync / async)', value: ratio(s.p50, a.p50), unit: '×' },
    { scenario: 'finalize', name: 'answer p99 ratio (sync / async)', value: ratio(s.p99, a.p99), unit: '×' },
    { scenario: 'finalize', name: 'async: click to report:ready p50', value: r.p50, unit: 'ms', runs: r.runs },
    { scenario: 'finalize', name: 'async: click to report:ready p99', value: r.p99, unit: 'ms', runs: r.runs },
    { scenario: 'finalize', name: 'time to ready p50 ratio (sync answer / async ready)', value: ratio(s.p50, r.p50), unit: '×' },
  ];
  for (const size of ['2-page', '5-page', '20-page']) {
    const av = async.outcomes.filter((o) => o.size === size).map((o) => o.ready);
    const sv = sync.outcomes.filter((o) => o.size === size).map((o) => o.ready);
    if (av.length) figures.push({ scenario: 'finalize', name: `async: click to ready, ${size} p50`, value: summarize(av).p50, unit: 'ms', runs: av.length });
    if (sv.length) figures.push({ scenario: 'finalize', name: `sync baseline: answer, ${size} p50`, value: summarize(sv).p50, unit: 'ms', runs: sv.length });
  }
  figures.push(
    {
      scenario: 'isolation',
      name: `API event-loop delay p99 while ${async.outcomes.length} finalize renders run (async)`,
      value: apiLoop.p99,
      unit: 'ms',
      target: { op: '<', value: 20 },
      detail: { ...apiLoop },
    },
    { scenario: 'isolation', name: 'API event-loop delay max (async)', value: apiLoop.max, unit: 'ms' },
    {
      scenario: 'isolation',
      name: `baseline event-loop delay p99 while ${sync.outcomes.length} finalizes run in requests (sync)`,
      value: syncLoop.p99,
      unit: 'ms',
      detail: { ...syncLoop },
    },
    { scenario: 'isolation', name: 'baseline event-loop delay max (sync)', value: syncLoop.max, unit: 'ms' },
    { scenario: 'capacity', name: 'finalize end to end, async (click to ready, all rounds)', value: perSecond(async), unit: 'reports/s', runs: async.outcomes.length },
    { scenario: 'capacity', name: 'finalize end to end, sync baseline (all rounds)', value: perSecond(sync), unit: 'reports/s', runs: sync.outcomes.length },
    {
      scenario: 'capacity',
      name: 'finalize end to end, async, worker with 2 render threads (two-page reports)',
      value: perSecond(twoThreads),
      unit: 'reports/s',
      runs: twoThreads.outcomes.length,
      target: { op: '>=', value: 10 },
    },
  );
  return figures;
}
