import { MikroORM } from '@mikro-orm/core';
import type { BulkAccepted, BulkProgressEvent, OpsOverview, QueuePause } from '@vetlab/shared';
import { JobKind, JOBS, QueueName } from '@vetlab/shared';
import Bull from 'bull';
import { randomUUID } from 'node:crypto';
import { compiledApi } from '../lib/api';
import { api, connectUser } from '../lib/client';
import type { Figure } from '../lib/report';
import type { BenchStack } from '../lib/stack';
import { summarize } from '../lib/stats';
import { idsOf } from './bulk';

type Api = {
  config: typeof import('../../apps/api/src/config/app-config');
  orm: typeof import('../../apps/api/src/database/mikro-orm.config');
  seed: typeof import('../../apps/api/src/ops/queues/finished-jobs-seed');
};

export interface OpsSizes {
  completed: number;
  failed: number;
  /** Jobs held in a paused queue. */
  depth: number;
  /** Overview requests one after the other (each computes: the stack runs with OPS_OVERVIEW_CACHE_MS=0). */
  sequential: number;
  /** The closed loop's length and clients. */
  loadSeconds: number;
  connections: number;
  /** Items of the bulk run the watching admin's socket counts events during. */
  bulkItems: number;
}

export const OPS_SIZES = {
  full: { completed: 100_000, failed: 5_000, depth: 10_000, sequential: 300, loadSeconds: 5, connections: 20, bulkItems: 10_000 },
  smoke: { completed: 1_000, failed: 50, depth: 100, sequential: 20, loadSeconds: 1, connections: 4, bulkItems: 50 },
} satisfies Record<string, OpsSizes>;

/** The queue held 10,000 deep: the bulk run measured below must not wait behind it. */
const HELD = QueueName.WorkOrderPdfs;

/**
 * The operations console under a busy lab's history: 100,000 completed and 5,000 failed job
 * records (finish times spread over a week, ~600 in the last hour), and a queue 10,000 deep (an
 * admin pauses the work-order queue through the API and 10,000 jobs are added to it). Then:
 *
 * - `GET /api/ops/overview` one request at a time, every one computed (the stack runs with
 *   OPS_OVERVIEW_CACHE_MS=0): its own cost, p50/p99 (target p99 < 50 ms);
 * - the same route from 20 clients in a closed loop beside `GET /api/health` (req/s and p99);
 * - the live cost: an admin socket watching the console (`ops:watch`) while a 10,000-item bulk run
 *   goes through; `ops:overview` and `bulk:progress` counted per second of wall time, the busiest
 *   second reported (target ≤ 5 renders per second each).
 *
 * The held jobs are removed and the queue resumed at the end.
 */
export async function opsScenario(stack: BenchStack, opts: { smoke: boolean; adminPassword: string }): Promise<Figure[]> {
  const size: OpsSizes = opts.smoke ? OPS_SIZES.smoke : OPS_SIZES.full;
  await seedHistory(stack, size);
  const admin = await connectUser(stack.url, 'admin@vetlab.local', opts.adminPassword);
  const queue = new Bull(HELD, { redis: stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix: `${stack.env.REDIS_PREFIX}:bull` });
  const figures: Figure[] = [];
  try {
    const paused = await api<QueuePause>(stack.url, admin.token, 'POST', `/ops/queues/${HELD}/pause`, { reason: 'bench: una cola de 10.000', minutes: 60 });
    if (paused.status !== 200) throw new Error(`pause: HTTP ${paused.status} ${JSON.stringify(paused.body)}`);
    const name = JOBS[JobKind.WorkOrderPdf].name;
    for (let i = 0; i < size.depth; i += 1000) {
      const n = Math.min(1000, size.depth - i);
      await queue.addBulk(Array.from({ length: n }, () => ({ name, data: { workOrderId: randomUUID(), version: 1 }, opts: { jobId: randomUUID() } })));
    }
    const first = await api<OpsOverview>(stack.url, admin.token, 'GET', '/ops/overview');
    const held = first.body.queues.find((c) => c.queue === HELD)?.counts.paused;
    if (first.status !== 200 || held !== size.depth) throw new Error(`overview: HTTP ${first.status}, ${held} held of ${size.depth}`);

    const one: number[] = [];
    for (let i = 0; i < size.sequential; i++) {
      const r = await api<OpsOverview>(stack.url, admin.token, 'GET', '/ops/overview');
      if (r.status !== 200) throw new Error(`overview: HTTP ${r.status}`);
      one.push(r.ms);
    }
    const s = summarize(one);
    const load = await closedLoop(stack.url, admin.token, '/api/ops/overview', size.connections, size.loadSeconds);
    const health = await closedLoop(stack.url, admin.token, '/api/health', size.connections, size.loadSeconds);
    const at = `${size.connections} clients`;
    const history = `${size.completed.toLocaleString('en')} + ${size.failed.toLocaleString('en')} records, ${size.depth.toLocaleString('en')} deep`;
    figures.push(
      { scenario: 'ops', name: `overview, one at a time, p50 (${history})`, value: s.p50, unit: 'ms', runs: s.runs },
      { scenario: 'ops', name: `overview, one at a time, p99 (${history})`, value: s.p99, unit: 'ms', runs: s.runs, target: { op: '<', value: 50 }, detail: { ...s } },
      { scenario: 'ops', name: `overview p99 (${at})`, value: load.p99, unit: 'ms', runs: load.requests, detail: { ...load } },
      { scenario: 'ops', name: `overviews per second (${at})`, value: load.requestsPerSecond, unit: '/s', runs: load.requests },
      { scenario: 'ops', name: `control: GET /api/health p99 (${at})`, value: health.p99, unit: 'ms', runs: health.requests, detail: { ...health } },
      { scenario: 'ops', name: `control: GET /api/health per second (${at})`, value: health.requestsPerSecond, unit: '/s', runs: health.requests },
    );

    // The queue goes back to normal before the bulk run: its held jobs removed, the pause ended.
    await queue.empty();
    const resumed = await api(stack.url, admin.token, 'POST', `/ops/queues/${HELD}/resume`);
    if (resumed.status !== 204) throw new Error(`resume: HTTP ${resumed.status}`);

    figures.push(...(await liveCost(stack, admin.token, admin.socket, size.bulkItems)));
  } finally {
    await queue.close().catch(() => undefined);
    admin.socket.close();
  }
  return figures;
}

/**
 * `clients` loops, each sending the next request when the last answered, for `seconds` (wrk's
 * closed loop, in this process: wrk is not on every machine). Client CPU is shared with the
 * stack, so the figure stands beside the same loop on /api/health.
 */
async function closedLoop(url: string, token: string, path: string, clients: number, seconds: number) {
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
        samples.push(performance.now() - t0);
      }
    }),
  );
  const s = summarize(samples);
  return { ...s, requests: s.runs, requestsPerSecond: s.runs / seconds };
}

/** The history, written straight into the stack's database through the API's own seed helper. */
async function seedHistory(stack: BenchStack, size: OpsSizes): Promise<void> {
  const { loadConfig } = compiledApi<Api['config']>('config/app-config');
  const { mikroOrmOptions } = compiledApi<Api['orm']>('database/mikro-orm.config');
  const { insertFinishedJobs } = compiledApi<Api['seed']>('ops/queues/finished-jobs-seed');
  const config = loadConfig(stack.env, 'worker');
  const orm = await MikroORM.init(mikroOrmOptions(config.database));
  const t0 = Date.now();
  try {
    await insertFinishedJobs(orm.em.fork(), { completed: size.completed, failed: size.failed, now: Date.now(), spreadMs: 7 * 24 * 3600_000 });
  } finally {
    await orm.close(true);
  }
  console.log(`  ops: ${size.completed + size.failed} job records written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** Events per wall-clock second on the watching admin's socket while a bulk run goes through. */
async function liveCost(stack: BenchStack, token: string, socket: import('../lib/client').BenchSocket, items: number): Promise<Figure[]> {
  const seconds = { overview: new Map<number, number>(), progress: new Map<number, number>() };
  const count = (m: Map<number, number>) => () => {
    const s = Math.floor(performance.now() / 1000);
    m.set(s, (m.get(s) ?? 0) + 1);
  };
  const onOverview = count(seconds.overview);
  const onProgress = count(seconds.progress);
  socket.on('ops:overview', onOverview);
  socket.on('bulk:progress', onProgress as (e: BulkProgressEvent) => void);
  const watching = new Promise<void>((resolve) => socket.once('ops:overview', () => resolve()));
  socket.emit('ops:watch');
  await watching;
  seconds.overview.clear();

  // Any protocols will do (after the bulk scenario most are rejected): every item is looked at,
  // changed or skipped, with its progress events; what is counted is what the browser receives.
  const ids = await idsOf(stack.url, token, 'status=submitted,received,in_analysis,rejected,reported', items);
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no bulk:completed within 120 s`)), 120_000);
    socket.once('bulk:completed', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const t0 = performance.now();
  const res = await api<BulkAccepted>(stack.url, token, 'POST', '/protocols/bulk', { action: 'receive', ids });
  if (res.status !== 202) throw new Error(`bulk of ${ids.length}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  await done;
  // One more tick's worth, so the overview that shows the run over is counted too.
  await new Promise((r) => setTimeout(r, 1500));
  const ms = performance.now() - t0;
  socket.emit('ops:unwatch');
  socket.off('ops:overview', onOverview);
  socket.off('bulk:progress', onProgress as (e: BulkProgressEvent) => void);
  const max = (m: Map<number, number>) => Math.max(0, ...m.values());
  const total = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const label = `${ids.length.toLocaleString('en')}-item bulk run`;
  return [
    { scenario: 'ops', name: `live: ops:overview events in the busiest second (${label})`, value: max(seconds.overview), unit: '/s', target: { op: '<=', value: 5 }, detail: { total: total(seconds.overview), ms } },
    { scenario: 'ops', name: `live: bulk:progress events in the busiest second (${label})`, value: max(seconds.progress), unit: '/s', target: { op: '<=', value: 5 }, detail: { total: total(seconds.progress), ms } },
    { scenario: 'ops', name: `live: events received during the run, ops:overview + bulk:progress`, value: total(seconds.overview) + total(seconds.progress), unit: '', detail: { seconds: ms / 1000 } },
  ];
}
