import type { Page, ProtocolDetail, ProtocolSummary, ReportView } from '@vetlab/shared';
import { BurstClient } from '../lib/burst';
import { api, BenchUser, connectUser, login } from '../lib/client';
import type { EventLoopDelay } from '../lib/stack';
import type { Figure } from '../lib/report';
import { machineBusyMsOutsideSelf } from '../lib/proc-cpu';
import { summarize } from '../lib/stats';
import { CpuSnapshot, cpuSnapshot, renderThreadsOf, WorkerCpu, workerCpuBetween } from './worker-cpu';

interface Candidate {
  reportId: string;
  rows: number;
}

/** In-analysis protocols whose draft is fully resulted, by size (rows ≈ 35 per printed page). */
export async function candidates(url: string, token: string): Promise<{ small: Candidate[]; medium: Candidate[]; large: Candidate[] }> {
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

/** When `report:ready` for the report reaches the user's socket (performance.now()); rejects after timeoutMs. */
export function waitReady(user: BenchUser, reportId: string, timeoutMs: number): Promise<number> {
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
  /** Resolves when the stack's worker has nothing left to do (BenchStack.quiet). */
  quiet: () => Promise<void>;
  /** Smoke (demo data): rounds may be smaller than the number of signers. */
  smoke: boolean;
  /** Capacity: restarts the stack's worker with these variables (RENDER_THREADS=2, then back). */
  restartWorker: (env: Record<string, string>) => Promise<void>;
  /** Rounds of two-page reports finalized with two render threads. */
  capacityRounds: number;
  /** Pid of the stack's worker process (its CPU time per report), and its render threads (RENDER_THREADS). */
  workerPid: () => number | null;
  renderThreads: number;
  /** Two-page reports finalized one at a time on the idle system (click to ready). */
  idle: number;
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
  /** The worker's CPU time over the measured rounds, until its queues were empty again (async only). */
  cpu?: WorkerCpu;
  /**
   * CPU the whole machine spent over the measured rounds, the bench client's own left out (ms):
   * async until its queues were empty again (the e-mails included), sync until the last answer.
   */
  machineMs: number;
}

/**
 * The rounds: in each, N signers click "Finalizar" on N different reports at the same moment. Async
 * (the product): the 202, then report:ready on that signer's socket. Sync (the baseline): one
 * request that answers when everything is done, so its answer is also the time to ready. Floor (the
 * control): the same burst against a handler that only enqueues and answers.
 *
 * Every round starts when the stack's worker has nothing left to do: the renders and e-mails of the
 * round before are done, as they are on the quiet machine the bare-handler control is measured on.
 * (The capacity rounds do not wait: they measure a steady flow, and their 202s are reported apart,
 * as the answer while the worker is busy.)
 *
 * The clicks go out through BurstClient (one kept-alive connection per signer, raw requests written
 * in one loop), so that a figure holds the server's time and not the bench's own fetch overhead
 * twenty times over.
 *
 * Each mode starts with one unmeasured round of two-page reports, as a benchmark warms up: the
 * burst's connections are opened, V8 has compiled the path, each pooled database connection has
 * prepared its statements. Without it the first measured round of a fresh process carried all of
 * that (a PostgreSQL run saw its first burst arrive over 28 ms, later ones within 2 ms). The smoke
 * run (demo data, few drafts) and the capacity run (warmed by its own first finalize) skip it.
 */
async function rounds(
  url: string,
  signers: BenchUser[],
  pool: Pools,
  opts: FinalizeOptions,
  mode: 'async' | 'sync' | 'floor',
  { warm, quietStart, cpu }: { warm: boolean; quietStart: boolean; cpu?: { pid: number; renderTids: number[] } } = { warm: !opts.smoke, quietStart: true },
): Promise<RoundsResult> {
  const outcomes: Outcome[] = [];
  let first = Infinity;
  let last = 0;
  let cpuFrom: CpuSnapshot | undefined;
  let machineFrom: number | undefined;
  const burst = BurstClient.fromUrl(url);
  try {
    for (let round = warm ? -1 : 0; round < opts.rounds; round++) {
      const warmup = round < 0;
      const batch: { c: Candidate; size: string }[] = [];
      if (mode === 'floor') {
        for (let i = 0; i < signers.length; i++) batch.push({ c: { reportId: '', rows: 0 }, size: 'none' });
      } else {
        // Round one mixes in the long reports; the rest are the everyday two-pagers.
        if (round === 0) {
          for (const c of pool.large.splice(0, 1)) batch.push({ c, size: '20-page' });
          for (const c of pool.medium.splice(0, 2)) batch.push({ c, size: '5-page' });
        }
        while (batch.length < signers.length && pool.small.length) batch.push({ c: pool.small.shift()!, size: '2-page' });
        batch.splice(signers.length);
        if (!batch.length || (batch.length < signers.length && !opts.smoke)) throw new Error(`not enough resulted drafts for ${mode} round ${round + 1}`);
      }
      if (quietStart) await opts.quiet();
      if (cpu && !warmup && !cpuFrom) cpuFrom = cpuSnapshot(cpu.pid);
      if (!warmup) machineFrom ??= machineBusyMsOutsideSelf();
      await burst.open(batch.length);
      const ready = mode === 'async' ? batch.map(({ c }, i) => waitReady(signers[i], c.reportId, 120_000)) : [];
      const path = (c: Candidate) =>
        mode === 'floor' ? '/api/bench-baseline/floor' : mode === 'sync' ? `/api/bench-baseline/reports/${c.reportId}/finalize` : `/api/reports/${c.reportId}/finalize`;
      const t0 = performance.now();
      if (!warmup) first = Math.min(first, t0);
      const answers = await burst.send(batch.map(({ c }, i) => ({ method: 'POST', path: path(c), token: signers[i].token })));
      const expected = mode === 'sync' ? 200 : 202;
      answers.forEach((a, i) => {
        if (a.status !== expected) throw new Error(`${mode} finalize ${batch[i].c.reportId}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
      });
      const readyAt = mode === 'async' ? await Promise.all(ready) : answers.map((a) => t0 + a.ms);
      if (warmup) continue;
      last = Math.max(last, ...readyAt);
      outcomes.push(...batch.map(({ size }, i) => ({ size, answer: answers[i].ms, ready: readyAt[i] - t0 })));
    }
  } finally {
    burst.close();
  }
  const machineMs = () => (machineFrom === undefined ? 0 : machineBusyMsOutsideSelf() - machineFrom);
  if (mode !== 'async') return { outcomes, first, last, machineMs: machineMs() };
  // The rounds' e-mails are the worker's work too: measured until nothing is left to do.
  await opts.quiet();
  const worker = cpu && cpuFrom ? workerCpuBetween(cpu.pid, cpu.renderTids, cpuFrom, cpuSnapshot(cpu.pid)) : undefined;
  return { outcomes, first, last, cpu: worker, machineMs: machineMs() };
}

/**
 * One finalize at a time on the idle system (the queues empty before each): click to report:ready
 * of a two-page report, what one person sees when nobody else is working.
 */
async function idleFinalizes(url: string, signer: BenchUser, pool: Pools, opts: FinalizeOptions): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < opts.idle; i++) {
    const c = pool.small.shift();
    if (!c) break;
    await opts.quiet();
    const ready = waitReady(signer, c.reportId, 60_000);
    const t0 = performance.now();
    const res = await api<unknown>(url, signer.token, 'POST', `/reports/${c.reportId}/finalize`);
    if (res.status !== 202) throw new Error(`finalize ${c.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    out.push((await ready) - t0);
  }
  return out;
}

export type Pools = Awaited<ReturnType<typeof candidates>>;

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
    return await rounds(url, signers, twoPagers, { ...opts, rounds: opts.capacityRounds }, 'async', { warm: false, quietStart: false });
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
  // BENCH_PAUSE_MAIL=1 (profiling only): the mail queue paused through the ops API, so the worker's
  // CPU per report is the finalize job's alone (the mails wait in the paused queue; `quiet` ignores them).
  if (process.env.BENCH_PAUSE_MAIL) await api(url, adminToken, 'POST', '/ops/queues/mail/pause', { reason: 'bench: finalize without its e-mails', minutes: 60 });
  const signers: BenchUser[] = [];
  for (let i = 1; i <= opts.signers; i++) signers.push(await connectUser(url, `firmante${i}@vetlab.local`, opts.password));

  let async: RoundsResult;
  let sync: RoundsResult;
  let apiLoop: EventLoopDelay;
  let syncLoop: EventLoopDelay;
  let twoThreads: RoundsResult;
  let floor: RoundsResult;
  let idle: number[];
  try {
    const pid = opts.workerPid();
    const cpu = pid ? { pid, renderTids: renderThreadsOf(pid, opts.renderThreads) } : undefined;
    await opts.apiEventLoop();
    async = await rounds(url, signers, pool, opts, 'async', { warm: !opts.smoke, quietStart: true, cpu });
    apiLoop = await opts.apiEventLoop();
    idle = await idleFinalizes(url, signers[0], pool, opts);
    await opts.baseline.eventLoop();
    sync = await rounds(opts.baseline.url, signers, pool, opts, 'sync');
    syncLoop = await opts.baseline.eventLoop();
    floor = await rounds(opts.baseline.url, signers, pool, opts, 'floor');
    twoThreads = await withTwoRenderThreads(url, signers, pool, opts);
  } finally {
    for (const s of signers) s.socket.close();
  }
  const at = `${opts.signers} signers at once`;
  const a = summarize(async.outcomes.map((o) => o.answer));
  const r = summarize(async.outcomes.map((o) => o.ready));
  const s = summarize(sync.outcomes.map((o) => o.answer));
  const f = summarize(floor.outcomes.map((o) => o.answer));
  // The capacity rounds (2 render threads) start as soon as the round before is ready, while the
  // worker still sends its e-mails on the same two cores: the answer under background work.
  const busy = summarize(twoThreads.outcomes.map((o) => o.answer));
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
    { scenario: 'finalize', name: `control: bare enqueue-and-answer handler, 202 p50 (${at})`, value: f.p50, unit: 'ms', runs: f.runs },
    {
      scenario: 'finalize',
      name: `control: bare enqueue-and-answer handler, 202 p99 (${at})`,
      value: f.p99,
      unit: 'ms',
      runs: f.runs,
      detail: { samples: floor.outcomes.map((o) => Math.round(o.answer * 10) / 10) },
    },
    { scenario: 'finalize', name: `async: 202 answer p50, worker busy with the round before (${at})`, value: busy.p50, unit: 'ms', runs: busy.runs },
    {
      scenario: 'finalize',
      name: `async: 202 answer p99, worker busy with the round before (${at})`,
      value: busy.p99,
      unit: 'ms',
      runs: busy.runs,
      detail: { samples: twoThreads.outcomes.map((o) => Math.round(o.answer * 10) / 10) },
    },
    { scenario: 'finalize', name: `sync baseline: answer p50 (${at})`, value: s.p50, unit: 'ms', runs: s.runs },
    { scenario: 'finalize', name: `sync baseline: answer p99 (${at})`, value: s.p99, unit: 'ms', runs: s.runs, detail: { samples: sync.outcomes.map((o) => Math.round(o.answer)) } },
    { scenario: 'finalize', name: 'answer p50 ratio (sync / async)', value: ratio(s.p50, a.p50), unit: '×' },
    { scenario: 'finalize', name: 'answer p99 ratio (sync / async)', value: ratio(s.p99, a.p99), unit: '×' },
    { scenario: 'finalize', name: 'async: click to report:ready p50', value: r.p50, unit: 'ms', runs: r.runs },
    { scenario: 'finalize', name: 'async: click to report:ready p99', value: r.p99, unit: 'ms', runs: r.runs, detail: { samples: async.outcomes.map((o) => Math.round(o.ready)) } },
    { scenario: 'finalize', name: 'time to ready p50 ratio (sync answer / async ready)', value: ratio(s.p50, r.p50), unit: '×' },
    { scenario: 'finalize', name: 'async ready p50 / sync answer p50', value: r.p50 / s.p50, unit: '×', target: { op: '<=', value: 0.6 } },
  ];
  if (idle.length) {
    const i = summarize(idle);
    figures.push({ scenario: 'finalize', name: 'async: click to report:ready p50, one 2-page finalize on the idle system', value: i.p50, unit: 'ms', runs: i.runs, target: { op: '<', value: 120 }, detail: { samples: idle.map((x) => Math.round(x * 10) / 10) } });
  }
  if (async.cpu) {
    const n = async.outcomes.length;
    const c = async.cpu;
    figures.push(
      {
        scenario: 'finalize',
        name: 'async: worker CPU per report outside the render thread',
        value: c.outsideRender / n,
        unit: 'ms',
        runs: n,
        target: { op: '<=', value: 10 },
        detail: { processMs: c.process, mainThreadMs: c.main, renderThreadsMs: c.render, otherThreadsMs: c.others, reports: n },
      },
      { scenario: 'finalize', name: 'async: worker main thread CPU per report', value: c.main / n, unit: 'ms', runs: n },
      { scenario: 'finalize', name: 'async: worker render thread CPU per report', value: c.render / n, unit: 'ms', runs: n },
      // Where the rest goes: V8's helper threads (GC, compiler) and libuv's pool, by thread name.
      ...Object.entries(c.others)
        .filter(([, ms]) => ms / n >= 0.5)
        .sort((x, y) => y[1] - x[1])
        .map(([name, ms]) => ({ scenario: 'finalize', name: `async: worker CPU per report, threads named ${name}`, value: ms / n, unit: 'ms', runs: n })),
    );
  }
  // What the CPU allows: on a machine whose cores are all busy, reports per second are the cores'
  // time over the CPU each report costs, so async / sync can be no better than sync CPU / async CPU.
  const perReport = (x: RoundsResult) => x.machineMs / x.outcomes.length;
  figures.push(
    { scenario: 'finalize', name: 'async: machine CPU per report (every process but the bench client, e-mails included)', value: perReport(async), unit: 'ms', runs: async.outcomes.length },
    { scenario: 'finalize', name: 'sync baseline: machine CPU per report (every process but the bench client, e-mails sent in the request)', value: perReport(sync), unit: 'ms', runs: sync.outcomes.length },
    { scenario: 'finalize', name: 'async / sync reports per second the CPU allows (sync CPU / async CPU per report)', value: perReport(sync) / perReport(async), unit: '×' },
  );
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
    { scenario: 'capacity', name: 'finalize end to end, async / sync baseline (same render threads)', value: perSecond(async) / perSecond(sync), unit: '×', target: { op: '>=', value: 1.5 } },
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
