import type { Page, ProtocolDetail, ProtocolSummary, WorkOrderPdfAccepted } from '@vetlab/shared';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, benchFetch, BenchUser, connectUser } from '../lib/client';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';

const WRK = process.env.WRK_PATH ?? 'wrk';

export interface WrkResult {
  p50: number;
  p99: number;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: string | null;
}

const MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Reads wrk's `--latency` report: the 50% and 99% lines, Requests/sec, and any failures. */
export function parseWrk(out: string): WrkResult {
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`wrk output has no ${pct}% latency:\n${out}`);
    return Number(m[1]) * MS[m[2]];
  };
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(out);
  const total = /^\s*(\d+) requests in /m.exec(out);
  if (!rps || !total) throw new Error(`wrk output has no totals:\n${out}`);
  return {
    p50: latency('50'),
    p99: latency('99'),
    requestsPerSecond: Number(rps[1]),
    requests: Number(total[1]),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    errors: /Socket errors:.*$/m.exec(out)?.[0] ?? null,
  };
}

/** wrk at `connections` connections for `seconds`, cycling through the paths with the vet's token. */
export function runWrk(url: string, token: string, paths: string[], opts: { connections: number; threads: number; seconds: number; timeoutSeconds?: number }): WrkResult {
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-wrk-'));
  try {
    const script = join(dir, 'opens.lua');
    writeFileSync(
      script,
      [
        `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }`,
        'local i = 0',
        `local headers = { ["Authorization"] = "Bearer ${token}" }`,
        'request = function()',
        '  i = i % #paths + 1',
        '  return wrk.format("GET", paths[i], headers)',
        'end',
        '',
      ].join('\n'),
    );
    const args = [`-t${opts.threads}`, `-c${opts.connections}`, `-d${opts.seconds}s`, `--timeout`, `${opts.timeoutSeconds ?? 2}s`, '--latency', '-s', script, url];
    const r = spawnSync(WRK, args, { encoding: 'utf8' });
    if (r.error) throw new Error(`${WRK} could not run (${r.error.message}); install it (Debian: apt-get install wrk)`);
    if (r.status !== 0) throw new Error(`wrk failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return parseWrk(r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function waitReady(user: BenchUser, workOrderId: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const on = (e: { workOrderId: string }) => {
      if (e.workOrderId !== workOrderId) return;
      clearTimeout(timer);
      user.socket.off('work-order-pdf:ready', on);
      resolve(performance.now());
    };
    const timer = setTimeout(() => {
      user.socket.off('work-order-pdf:ready', on);
      reject(new Error(`no work-order-pdf:ready for ${workOrderId} within ${timeoutMs} ms`));
    }, timeoutMs);
    user.socket.on('work-order-pdf:ready', on);
  });
}

/**
 * A vet opens work orders whose PDF was never rendered (the seed renders none): the 202, then the
 * time to `work-order-pdf:ready` on the vet's socket. Then the same PDFs, now cached, opened by 20
 * connections at once with wrk through the real API (token check included): latency and opens/s.
 * Last the old way: the same PDFs rendered on every request by the baseline server (same document,
 * same render pool), the same wrk at the same connections for `renderSeconds`.
 */
export async function workOrderScenario(
  url: string,
  opts: { cold: number; connections: number; seconds: number; renderSeconds: number; password: string; baselineUrl: string },
): Promise<Figure[]> {
  const vet = await connectUser(url, 'vet1@vetlab.local', opts.password);
  try {
    const list = await api<Page<ProtocolSummary>>(url, vet.token, 'GET', `/protocols?status=submitted&pageSize=${opts.cold + 1}`);
    if (list.body.items.length < opts.cold + 1) throw new Error(`only ${list.body.items.length} submitted protocols for vet1`);
    const ids: string[] = [];
    for (const p of list.body.items) ids.push((await api<ProtocolDetail>(url, vet.token, 'GET', `/protocols/${p.id}`)).body.workOrderId);
    // One unmeasured open first: a cold cache is the point, not a worker whose threads still warm up.
    const warmUp = ids.shift()!;
    const warmed = waitReady(vet, warmUp, 60_000);
    await api(url, vet.token, 'GET', `/work-orders/${warmUp}/pdf`);
    await warmed;

    const accept: number[] = [];
    const ready: number[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const readyAt = waitReady(vet, id, 30_000);
      const res = await api<WorkOrderPdfAccepted>(url, vet.token, 'GET', `/work-orders/${id}/pdf`);
      if (res.status !== 202) throw new Error(`cold open of ${id}: expected 202, got ${res.status}`);
      accept.push(res.ms);
      ready.push((await readyAt) - t0);
    }
    const paths = ids.map((id) => `/api/work-orders/${id}/pdf`);
    for (const p of paths) {
      const res = await fetch(`${url}${p}`, { headers: { Authorization: `Bearer ${vet.token}` } });
      await res.arrayBuffer();
      if (res.status !== 200 || res.headers.get('x-cache') !== 'hit') throw new Error(`${p}: expected a cache hit, got ${res.status} ${res.headers.get('x-cache')}`);
    }

    const wrk = runWrk(url, vet.token, paths, { connections: opts.connections, threads: 2, seconds: opts.seconds });
    if (wrk.non2xx) throw new Error(`wrk saw ${wrk.non2xx} answers other than 2xx/3xx`);
    // The floor this machine sets: the smallest route there is, same wrk, same connections.
    const health = runWrk(url, vet.token, ['/api/health'], { connections: opts.connections, threads: 2, seconds: Math.min(opts.seconds, 5) });
    const basePaths = ids.map((id) => `/api/bench-baseline/work-orders/${id}/pdf`);
    const first = await benchFetch(`${opts.baselineUrl}${basePaths[0]}`, { headers: { Authorization: `Bearer ${vet.token}` } });
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`baseline work-order PDF: HTTP ${first.status}`);
    const sync = runWrk(opts.baselineUrl, vet.token, basePaths, { connections: opts.connections, threads: 2, seconds: opts.renderSeconds, timeoutSeconds: 30 });
    if (sync.non2xx) throw new Error(`wrk saw ${sync.non2xx} baseline answers other than 2xx/3xx`);
    const a = summarize(accept);
    const r = summarize(ready);
    const at = `${opts.connections} connections`;
    return [
      { scenario: 'work-order', name: 'cold open, 202 answer p50', value: a.p50, unit: 'ms', runs: a.runs },
      { scenario: 'work-order', name: 'cold open to work-order-pdf:ready p50', value: r.p50, unit: 'ms', runs: r.runs, target: { op: '<', value: 200 } },
      { scenario: 'work-order', name: 'cold open to work-order-pdf:ready p99', value: r.p99, unit: 'ms', runs: r.runs, target: { op: '<', value: 200 } },
      { scenario: 'work-order', name: `cached open p50 (wrk, ${at})`, value: wrk.p50, unit: 'ms', runs: wrk.requests },
      { scenario: 'work-order', name: `cached open p99 (wrk, ${at})`, value: wrk.p99, unit: 'ms', runs: wrk.requests, target: { op: '<', value: 10 } },
      { scenario: 'work-order', name: `cached opens per second (wrk, ${at})`, value: wrk.requestsPerSecond, unit: '/s', runs: wrk.requests, target: { op: '>=', value: 2000 }, detail: { ...wrk, seconds: opts.seconds } },
      { scenario: 'work-order', name: `control: GET /api/health p99 (wrk, ${at})`, value: health.p99, unit: 'ms', runs: health.requests, detail: { ...health } },
      { scenario: 'work-order', name: `control: GET /api/health per second (wrk, ${at})`, value: health.requestsPerSecond, unit: '/s', runs: health.requests },
      { scenario: 'work-order', name: `sync baseline, rendered per request p50 (wrk, ${at})`, value: sync.p50, unit: 'ms', runs: sync.requests },
      { scenario: 'work-order', name: `sync baseline, rendered per request p99 (wrk, ${at})`, value: sync.p99, unit: 'ms', runs: sync.requests },
      { scenario: 'work-order', name: `sync baseline, opens per second (wrk, ${at})`, value: sync.requestsPerSecond, unit: '/s', runs: sync.requests, detail: { ...sync, seconds: opts.renderSeconds } },
      { scenario: 'work-order', name: 'open p50 ratio (render per request / cached)', value: sync.p50 / wrk.p50, unit: '×' },
      { scenario: 'work-order', name: 'open p99 ratio (render per request / cached)', value: sync.p99 / wrk.p99, unit: '×' },
      { scenario: 'work-order', name: 'opens per second ratio (cached / render per request)', value: wrk.requestsPerSecond / sync.requestsPerSecond, unit: '×' },
    ];
  } finally {
    vet.socket.close();
  }
}
