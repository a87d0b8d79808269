import type { Page, ProtocolDetail, ProtocolSummary } from '@vetlab/shared';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, connectUser } from '../lib/client';
import type { Figure } from '../lib/report';
import { Driver, freePort, startStack } from '../lib/stack';
import { runWrk, waitReady, WrkResult } from './work-order';

const root = join(__dirname, '../..');

/** tools/s3-server.mjs in a child process, its objects in a temporary folder. */
async function startS3(): Promise<{ env: Record<string, string>; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-bench-s3-'));
  const child: ChildProcess = spawn(process.execPath, [join(root, 'tools/s3-server.mjs'), `--port=${port}`, `--dir=${dir}`, '--bucket=vetlab-bench'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the S3 server did not start within 10 s')), 10_000);
    child.stdout?.on('data', (b: Buffer) => {
      if (!b.toString().includes('s3 ready')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`the S3 server exited (${code})`)));
  });
  return {
    env: {
      STORAGE_URL: 's3://vetlab-bench/files',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Renders `count` work orders of vet1 (one cold open each, then their ready event) and checks they are cache hits. */
async function renderedPaths(url: string, count: number, password: string): Promise<{ token: string; paths: string[] }> {
  const vet = await connectUser(url, 'vet1@vetlab.local', password);
  try {
    const list = await api<Page<ProtocolSummary>>(url, vet.token, 'GET', `/protocols?pageSize=${count}`);
    if (list.body.items.length < count) throw new Error(`only ${list.body.items.length} protocols for vet1`);
    const paths: string[] = [];
    for (const p of list.body.items) {
      const id = (await api<ProtocolDetail>(url, vet.token, 'GET', `/protocols/${p.id}`)).body.workOrderId;
      const ready = waitReady(vet, id, 60_000);
      const res = await api(url, vet.token, 'GET', `/work-orders/${id}/pdf`);
      if (res.status === 202) await ready;
      paths.push(`/api/work-orders/${id}/pdf`);
    }
    for (const p of paths) {
      const res = await fetch(`${url}${p}`, { headers: { Authorization: `Bearer ${vet.token}` } });
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('x-cache') !== 'hit') throw new Error(`${p}: expected a cache hit, got ${res.status} ${res.headers.get('x-cache')}`);
    }
    return { token: vet.token, paths };
  } finally {
    vet.socket.close();
  }
}

/**
 * Cached opens of work-order PDFs (the hot cache in the API process) with the files in the local
 * folder and in an S3-compatible bucket (tools/s3-server.mjs on this machine): two stacks on the
 * same seeded data, started side by side, measured in turns (local then S3, S3 then local, …) with the same
 * wrk at the same connections, so that a change in the shared machine's load falls on both. Each
 * figure is the median of its column's turns. The issue's
 * target: S3 within 20% of the local folder (p50 and p99 at most 1.2×, opens per second at least 0.8×).
 */
export async function storageScenario(opts: {
  driver: Driver;
  profile: 'bench' | 'demo';
  workOrders: number;
  connections: number;
  /** Turns per storage, and the seconds of each. */
  rounds: number;
  seconds: number;
  password: string;
}): Promise<Record<string, Figure[]>> {
  const s3 = await startS3();
  const columns = [
    { column: 'local folder', name: 'storage-local', env: {} },
    { column: 'S3 + hot cache', name: 'storage-s3', env: s3.env },
  ];
  const stacks: Awaited<ReturnType<typeof startStack>>[] = [];
  try {
    for (const c of columns) stacks.push(await startStack({ driver: opts.driver, profile: opts.profile, name: c.name, env: c.env }));
    const targets: { stack: (typeof stacks)[number]; token: string; paths: string[] }[] = [];
    for (const stack of stacks) targets.push({ stack, ...(await renderedPaths(stack.url, opts.workOrders, opts.password)) });
    await Promise.all(stacks.map((s) => s.quiet()));
    const turns: WrkResult[][] = columns.map(() => []);
    // A short unmeasured run of each first: both measured warm.
    for (const { stack, token, paths } of targets) runWrk(stack.url, token, paths, { connections: opts.connections, threads: 2, seconds: 1 });
    for (let round = 0; round < opts.rounds; round++) {
      // Each goes first in turn: whatever the second run of a pair pays or gains falls on both.
      const order = round % 2 ? [1, 0] : [0, 1];
      order.forEach((i) => {
        const { stack, token, paths } = targets[i];
        const wrk = runWrk(stack.url, token, paths, { connections: opts.connections, threads: 2, seconds: opts.seconds });
        if (wrk.non2xx) throw new Error(`wrk saw ${wrk.non2xx} answers other than 2xx/3xx (${columns[i].column})`);
        turns[i].push(wrk);
      });
    }
    // The median turn: one turn that met a burst of the shared machine's load does not decide.
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = sorted.length / 2;
      return Number.isInteger(mid) ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[Math.floor(mid)];
    };
    const [local, remote] = turns.map((ts) => {
      const requests = ts.reduce((a, t) => a + t.requests, 0);
      return { p50: median(ts.map((t) => t.p50)), p99: median(ts.map((t) => t.p99)), requestsPerSecond: median(ts.map((t) => t.requestsPerSecond)), requests, turns: ts };
    });
    const at = `${opts.connections} connections, ${opts.driver}, ${opts.rounds}× ${opts.seconds} s`;
    const figures = (w: typeof local): Figure[] => [
      { scenario: 'storage', name: `cached work-order open p50 (wrk, ${at})`, value: w.p50, unit: 'ms', runs: w.requests },
      { scenario: 'storage', name: `cached work-order open p99 (wrk, ${at})`, value: w.p99, unit: 'ms', runs: w.requests },
      { scenario: 'storage', name: `cached opens per second (wrk, ${at})`, value: w.requestsPerSecond, unit: '/s', runs: w.requests, detail: { turns: w.turns } },
    ];
    return {
      'local folder': figures(local),
      'S3 + hot cache': [
        ...figures(remote),
        { scenario: 'storage', name: 'p50 ratio (S3 / local)', value: remote.p50 / local.p50, unit: '×', target: { op: '<=', value: 1.2 } },
        { scenario: 'storage', name: 'p99 ratio (S3 / local)', value: remote.p99 / local.p99, unit: '×', target: { op: '<=', value: 1.2 } },
        { scenario: 'storage', name: 'opens per second ratio (S3 / local)', value: remote.requestsPerSecond / local.requestsPerSecond, unit: '×', target: { op: '>=', value: 0.8 } },
      ],
    };
  } finally {
    await Promise.all(stacks.map((s) => s.stop()));
    await s3.stop();
  }
}
