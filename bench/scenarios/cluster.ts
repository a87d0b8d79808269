import type { BulkAccepted, FinalizeAccepted, Page, ProtocolDetail, ProtocolSummary } from '@vetlab/shared';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, nginxProcess, startCluster } from '../../tools/cluster/cluster';
import { api, BenchUser, connectUser, login } from '../lib/client';
import type { Figure } from '../lib/report';
import { cpuSpent, groupCpu, groupPreemptions, pidsNamed, ProcessGroups, withChildren } from '../lib/proc-cpu';
import { startStack } from '../lib/stack';
import { summarize } from '../lib/stats';
import { candidates, waitReady } from './finalize';
import { idsOf } from './bulk';

const root = join(__dirname, '../..');

interface Sizes {
  signers: number;
  rounds: number;
  cold: number;
  cachedSeconds: number;
  connections: number;
  bulkItems: number;
}

/** One target's figures, by name (same names for the single process and the cluster). */
type Measured = Map<string, { value: number; unit: string; runs?: number }>;

/** `connections` loops of one request after the other for `seconds`: latencies and requests/s. */
async function load(url: string, seconds: number, connections: number, headers: Record<string, string> = {}) {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const s = performance.now();
        const res = await fetch(url, { headers }).catch(() => null);
        if (!res || res.status !== 200) errors++;
        await res?.arrayBuffer();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / elapsed, errors };
}

/** The machine's processes by role during a run: where its CPU went (the profile of a ratio). */
function sharedGroups(): ProcessGroups {
  return { postgres: pidsNamed('postgres'), redis: pidsNamed('redis-server'), 'bench client': [process.pid] };
}

async function measure(url: string, s: Sizes, groups: () => ProcessGroups): Promise<Measured> {
  const out: Measured = new Map();
  const put = (name: string, value: number, unit: string, runs?: number) => out.set(name, { value, unit, runs });
  const admin = await login(url, 'admin@vetlab.local', 'vetlab-admin');

  // Finalize: every signer at once, a few rounds; the 202, then report:ready on the signer's socket.
  const pool = (await candidates(url, admin)).small;
  console.log(`    ${pool.length} small reports to finalize`);
  const signers: BenchUser[] = [];
  for (let i = 1; i <= s.signers; i++) signers.push(await connectUser(url, `firmante${i}@vetlab.local`, 'vetlab-staff'));
  const answers: number[] = [];
  const ready: number[] = [];
  const g = groups();
  /** CPU time per unit of work by role since `from` (the profile behind a ratio). */
  const cpuPer = (phase: string, unit: string, from: Record<string, number>, n: number, preempted?: Record<string, number>) => {
    const spent = cpuSpent(from, groupCpu(g));
    for (const [role, ms] of Object.entries(spent)) put(`${phase}: CPU per ${unit}, ${role}`, ms / n, 'ms', n);
    put(`${phase}: CPU per ${unit}, all of these`, Object.values(spent).reduce((a, b) => a + b, 0) / n, 'ms', n);
    if (preempted) put(`${phase}: API main threads preempted per ${unit}`, (cpuSpent(preempted, groupPreemptions(g)).api ?? 0) / n, 'switches', n);
  };
  // What the processes spend doing nothing (timers, heartbeats, queue polling), per second of an idle machine.
  const idleFrom = groupCpu(g);
  const idleMs = 3000;
  await new Promise((r) => setTimeout(r, idleMs));
  for (const [role, ms] of Object.entries(cpuSpent(idleFrom, groupCpu(g)))) put(`idle: CPU per second, ${role}`, (ms * 1000) / idleMs, 'ms/s');
  const cpuBefore = groupCpu(g);
  const preemptedBefore = groupPreemptions(g);
  let first = Infinity;
  let last = 0;
  try {
    for (let round = 0; round < s.rounds; round++) {
      await Promise.all(
        signers.map(async (signer) => {
          const c = pool.shift();
          if (!c) throw new Error('out of finalizable reports');
          const t0 = performance.now();
          first = Math.min(first, t0);
          const readyAt = waitReady(signer, c.reportId, 120_000);
          const res = await api<FinalizeAccepted>(url, signer.token, 'POST', `/reports/${c.reportId}/finalize`);
          if (res.status !== 202) throw new Error(`finalize: HTTP ${res.status} ${JSON.stringify(res.body)}`);
          answers.push(res.ms);
          const t1 = await readyAt;
          ready.push(t1 - t0);
          last = Math.max(last, t1);
        }),
      );
    }
  } finally {
    for (const signer of signers) signer.socket.close();
  }
  const a = summarize(answers);
  const r = summarize(ready);
  put(`finalize: 202 answer p50 (${s.signers} signers at once)`, a.p50, 'ms', a.runs);
  put(`finalize: 202 answer p99`, a.p99, 'ms', a.runs);
  put(`finalize: click to report:ready p50`, r.p50, 'ms', r.runs);
  put(`finalize: click to report:ready p99`, r.p99, 'ms', r.runs);
  put(`finalize: reports per second`, (ready.length * 1000) / (last - first), 'reports/s', ready.length);
  // CPU per report by role over the finalize rounds (render threads count with their worker).
  cpuPer('finalize', 'report', cpuBefore, ready.length, preemptedBefore);

  console.log(`    finalize done (${ready.length} reports)`);
  // Work orders: cold opens (202, then 200 once rendered), then cached opens under load.
  const vet = await login(url, 'vet1@vetlab.local', 'vetlab-vet');
  const list = await api<Page<ProtocolSummary>>(url, vet, 'GET', `/protocols?status=submitted&sort=-createdAt&pageSize=${s.cold + 1}`);
  const workOrders: string[] = [];
  for (const p of list.body.items) workOrders.push((await api<ProtocolDetail>(url, vet, 'GET', `/protocols/${p.id}`)).body.workOrderId);
  if (workOrders.length < 2) throw new Error(`only ${workOrders.length} submitted protocols for vet1`);
  const cold: number[] = [];
  // The first open is not measured: a cold cache is the point, not render threads still warming up.
  for (const [i, id] of workOrders.entries()) {
    const t0 = performance.now();
    for (;;) {
      if (performance.now() - t0 > 60_000) throw new Error(`work order ${id}: no PDF after 60 s`);
      // A PDF, or the job's JSON (202) while it renders.
      const res = await fetch(`${url}/api/work-orders/${id}/pdf`, { headers: { Authorization: `Bearer ${vet}` } });
      await res.arrayBuffer();
      if (res.status === 200) break;
      if (res.status !== 202) throw new Error(`work-order open: HTTP ${res.status}`);
      await new Promise((res2) => setTimeout(res2, 25));
    }
    if (i > 0) cold.push(performance.now() - t0);
  }
  const c = summarize(cold);
  put(`work order: cold open to PDF p50`, c.p50, 'ms', c.runs);
  const cachedFrom = groupCpu(g);
  const cachedPreempted = groupPreemptions(g);
  const cached = await load(`${url}/api/work-orders/${workOrders[1]}/pdf`, s.cachedSeconds, s.connections, { Authorization: `Bearer ${vet}` });
  cpuPer('work order', 'cached open', cachedFrom, cached.runs, cachedPreempted);
  put(`work order: cached open p50 (${s.connections} connections)`, cached.p50, 'ms', cached.runs);
  put(`work order: cached open p99`, cached.p99, 'ms', cached.runs);
  put(`work order: cached opens per second`, cached.perSecond, 'req/s', cached.runs);

  console.log(`    work orders done`);
  // Bulk: one run over submitted protocols, to the job completed.
  const ids = await idsOf(url, admin, 'status=submitted', s.bulkItems);
  if (!ids.length) throw new Error('no submitted protocols left for the bulk run');
  const bulkFrom = groupCpu(g);
  const t0 = performance.now();
  const res = await api<BulkAccepted>(url, admin, 'POST', '/protocols/bulk', { action: 'receive', ids });
  if (res.status !== 202) throw new Error(`bulk: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  for (;;) {
    if (performance.now() - t0 > 300_000) throw new Error('bulk: not completed after 300 s');
    const job = await api<{ state: string }>(url, admin, 'GET', `/jobs/${res.body.jobId}`);
    if (job.body.state === 'completed') break;
    if (job.body.state === 'failed') throw new Error('bulk job failed');
    await new Promise((r2) => setTimeout(r2, 50));
  }
  put(`bulk: items per second (${ids.length} items)`, (ids.length * 1000) / (performance.now() - t0), 'items/s', 1);
  cpuPer('bulk', 'item', bulkFrom, ids.length);
  return out;
}

/** A bare Node http handler (no framework) in a process of its own. */
async function bareHandler(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
  return { port, child };
}

async function pgDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
  return {
    url,
    drop: async () => {
      const a = new Client({ connectionString: admin });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * 2 API + 2 worker processes behind nginx (`npm run cluster`'s shape) against one API and one
 * worker process with no proxy (the bench's usual stack), each on a freshly seeded PostgreSQL
 * database: the same finalize, work-order and bulk figures side by side with their ratio. The
 * control: a bare handler behind the same nginx configuration against the handler directly, the
 * proxy's own cost. On 2 cores no speed-up is expected; nothing should get worse by more than it.
 */
/** Processes of each kind in the cluster (npm run cluster's default), one render thread per worker. */
const CLUSTER_WORKERS = 2;

export const CLUSTER_COLUMNS = { single: 'one process (direct)', cluster: 'cluster (nginx)', ratio: 'ratio' } as const;

export async function clusterScenario(opts: { smoke: boolean }): Promise<Record<string, Figure[]>> {
  const s: Sizes = opts.smoke
    ? { signers: 2, rounds: 1, cold: 2, cachedSeconds: 1, connections: 4, bulkItems: 50 }
    : { signers: 10, rounds: 3, cold: 10, cachedSeconds: 8, connections: 20, bulkItems: 1000 };
  const columns: Record<string, Figure[]> = { [CLUSTER_COLUMNS.single]: [], [CLUSTER_COLUMNS.cluster]: [], [CLUSTER_COLUMNS.ratio]: [] };
  const pair = (name: string, one: number, two: number, unit: string, runs?: number) => {
    columns[CLUSTER_COLUMNS.single].push({ scenario: 'cluster', name, value: one, unit, runs });
    columns[CLUSTER_COLUMNS.cluster].push({ scenario: 'cluster', name, value: two, unit, runs });
    columns[CLUSTER_COLUMNS.ratio].push({ scenario: 'cluster', name, value: one ? two / one : NaN, unit: '×' });
  };

  // The control first, on a quiet machine.
  const handler = await bareHandler();
  const prefix = join(root, 'data/bench-cluster/control-nginx');
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  const nginxPort = await freePort();
  const nginx = nginxProcess({ root, prefix, port: nginxPort, upstreams: [handler.port] }, { log: () => undefined });
  await nginx.start();
  let direct;
  let proxied;
  try {
    direct = await load(`http://127.0.0.1:${handler.port}/`, s.cachedSeconds, s.connections);
    proxied = await load(`http://127.0.0.1:${nginxPort}/`, s.cachedSeconds, s.connections);
  } finally {
    await nginx.stop();
    handler.child.kill();
  }
  pair(`control: bare handler p50 (${s.connections} connections)`, direct.p50, proxied.p50, 'ms', direct.runs);
  pair('control: bare handler p99', direct.p99, proxied.p99, 'ms');
  pair('control: bare handler requests per second', direct.perSecond, proxied.perSecond, 'req/s');

  // One process of each kind, no proxy.
  console.log('  cluster bench: one API + one worker process…');
  // As many render threads as the cluster's workers have together (one each): the same render
  // capacity on the same two cores, so a ratio shows what the processes and the proxy cost.
  const single = await startStack({ driver: 'postgresql', profile: opts.smoke ? 'demo' : 'bench', name: 'bench_single', env: { RENDER_THREADS: String(CLUSTER_WORKERS) } });
  let one: Measured;
  try {
    one = await measure(single.url, s, () => ({ api: [single.apiPid() ?? 0], worker: single.workerPids(), ...sharedGroups() }));
  } finally {
    await single.stop();
  }

  // The cluster.
  console.log('  cluster bench: 2 API + 2 worker processes behind nginx…');
  const db = await pgDatabase(`vetlab_bench_cluster_${randomBytes(3).toString('hex')}`);
  const dataDir = join(root, 'data/bench-cluster/cluster');
  rmSync(dataDir, { recursive: true, force: true });
  let two: Measured;
  try {
    const cluster = await startCluster({
      root,
      databaseUrl: db.url,
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      dataDir,
      entry: 'dist',
      apis: 2,
      workers: CLUSTER_WORKERS,
      storage: 'local',
      seed: true,
      seedProfile: opts.smoke ? 'demo' : 'bench',
      env: {
        NODE_ENV: 'production',
        REDIS_PREFIX: `bench-cluster-${randomBytes(3).toString('hex')}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        LOGIN_RATE_LIMIT: '100000',
        RENDER_THREADS: '1',
        // Production refuses a plain-http address: the bench's own name for the lab, as in its one-process stack.
        PUBLIC_URL: 'https://lab.bench.invalid',
      },
      // Production refuses demo data; the bench seeds it as a test run would, as its one-process stack does.
      seedEnv: { NODE_ENV: 'test', PASSWORD_HASH_COST: 'low' },
      log: (name, line) => /error|exited|killed/i.test(line) && console.log(`  [${name}] ${line}`),
    });
    try {
      const pidsOf = (ps: { pid: () => number | undefined }[]) => ps.map((p) => p.pid() ?? 0);
      two = await measure(cluster.url, s, () => ({
        api: pidsOf(cluster.apis),
        worker: pidsOf(cluster.workers),
        nginx: withChildren(cluster.nginx.pid() ?? 0),
        ...sharedGroups(),
      }));
    } finally {
      await cluster.stop();
    }
  } finally {
    await db.drop();
  }

  // In the order measured; a figure only one side has (nginx's CPU) shows 0 on the other.
  for (const name of new Set([...one.keys(), ...two.keys()])) {
    const o = one.get(name);
    const c = two.get(name);
    pair(name, o?.value ?? 0, c?.value ?? 0, (o ?? c)!.unit, c?.runs ?? o?.runs);
  }
  return columns;
}
