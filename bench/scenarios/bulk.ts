import type { BulkAccepted, BulkRequest, Page, ProtocolSummary } from '@vetlab/shared';
import { api, BenchUser, connectUser } from '../lib/client';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';

interface Size {
  items: number;
  /** Runs of this size; the first one of every size changes real protocols. */
  reps: number;
}

/** Ids of protocols in a status, oldest first (or by `sort`), up to `max` (pages of 200, like a browser would ask). */
export async function idsOf(url: string, token: string, query: string, max: number, sort = 'createdAt'): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ids.length < max; page++) {
    const list = await api<Page<ProtocolSummary>>(url, token, 'GET', `/protocols?${query}&sort=${sort}&pageSize=200&page=${page}`);
    ids.push(...list.body.items.map((p) => p.id));
    if (list.body.items.length < 200) break;
  }
  return ids.slice(0, max);
}

/** `bulk:completed` of every run, kept by id (a small run may end before its 202 has been read). */
function completions(admin: BenchUser) {
  const done = new Map<string, number>();
  const waiting = new Map<string, (t: number) => void>();
  admin.socket.on('bulk:completed', (e) => {
    const t = performance.now();
    done.set(e.bulkId, t);
    waiting.get(e.bulkId)?.(t);
  });
  return (bulkId: string, timeoutMs: number) =>
    new Promise<number>((resolve, reject) => {
      const seen = done.get(bulkId);
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no bulk:completed for ${bulkId} within ${timeoutMs} ms`)), timeoutMs);
      waiting.set(bulkId, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
}

/**
 * An admin sends bulk actions of 50, 1,000 and 10,000 protocols: the time to the 202 (the request
 * writes the run and its whole ledger) and to `bulk:completed` on the admin's socket (every item
 * processed in the worker, audit written, one digest per clinic in the outbox and queued).
 * Receive takes fresh submitted protocols; the 10,000 run rejects every one of them (submitted or
 * received by then). Repeats after the first change nothing (skipped): they only add 202 samples.
 *
 * First the old way: the baseline server receives 50 protocols in a loop inside the request (one
 * transition after the other, each in its own transaction, through the product's transitions
 * service), on the newest submitted protocols; the runs above take the oldest, and the 10,000 run
 * rejects those 50 too (they are received by then).
 */
export async function bulkScenario(url: string, opts: { smoke: boolean; adminPassword: string; baselineUrl: string }): Promise<Figure[]> {
  const sizes: Size[] = opts.smoke
    ? [
        { items: 5, reps: 1 },
        { items: 20, reps: 1 },
        { items: 50, reps: 1 },
      ]
    : [
        { items: 50, reps: 10 },
        { items: 1000, reps: 5 },
        { items: 10_000, reps: 10 },
      ];
  const admin = await connectUser(url, 'admin@vetlab.local', opts.adminPassword);
  const completed = completions(admin);
  const figures: Figure[] = [];
  try {
    const largest = sizes[sizes.length - 1].items;
    // Smoke (demo data): any protocols, whatever their status; the outcomes vary, the path is the same.
    const statuses = opts.smoke ? 'status=submitted,received,in_analysis,rejected,reported' : 'status=submitted';
    const loopItems = sizes[0].items;
    const loopReps = opts.smoke ? 1 : 5;
    const newest = await idsOf(url, admin.token, statuses, loopItems * loopReps, '-createdAt');
    const loop: number[] = [];
    for (let rep = 0; rep < loopReps; rep++) {
      const ids = newest.slice(rep * loopItems, (rep + 1) * loopItems);
      const res = await api<{ succeeded: number }>(opts.baselineUrl, admin.token, 'POST', '/bench-baseline/protocols/bulk', { action: 'receive', ids });
      if (res.status !== 200) throw new Error(`baseline bulk of ${ids.length}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      if (!opts.smoke && res.body.succeeded !== ids.length) throw new Error(`baseline bulk received ${res.body.succeeded} of ${ids.length}`);
      loop.push(res.ms);
    }
    // The oldest first; the ones the loop received are still in the pool for the 10,000 rejection.
    const pool = await idsOf(url, admin.token, opts.smoke ? statuses : 'status=submitted,received', largest);
    if (pool.length < largest) throw new Error(`the bench needs ${largest} protocols, found ${pool.length}`);
    let next = 0;
    for (const size of sizes) {
      const accept: number[] = [];
      const endToEnd: number[] = [];
      for (let rep = 0; rep < size.reps; rep++) {
        const last = size === sizes[sizes.length - 1];
        let body: BulkRequest;
        if (last || opts.smoke) body = last && !opts.smoke ? { action: 'reject', reason: 'bench: muestra no apta', ids: pool } : { action: 'receive', ids: pool.slice(0, size.items) };
        else {
          // A fresh slice for every repeat: each run of 50 and 1,000 really receives its protocols.
          body = { action: 'receive', ids: pool.slice(next, next + size.items) };
          next += size.items;
        }
        const t0 = performance.now();
        const res = await api<BulkAccepted>(url, admin.token, 'POST', '/protocols/bulk', body);
        if (res.status !== 202) throw new Error(`bulk of ${size.items}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        accept.push(res.ms);
        const t1 = await completed(res.body.bulkId, 120_000);
        endToEnd.push(t1 - t0);
      }
      const a = summarize(accept);
      const label = size.items.toLocaleString('en');
      figures.push(
        { scenario: 'bulk', name: `${label} items: 202 answer p50`, value: a.p50, unit: 'ms', runs: a.runs },
        { scenario: 'bulk', name: `${label} items: 202 answer p99`, value: a.p99, unit: 'ms', runs: a.runs, target: { op: '<', value: 100 }, detail: { samples: accept } },
      );
      // The first run of each size is the one that changes every protocol: the end-to-end figure.
      const e2eTarget = size.items === 50 ? { op: '<' as const, value: 1000 } : size.items === 10_000 ? { op: '<' as const, value: 10_000 } : undefined;
      figures.push({ scenario: 'bulk', name: `${label} items: click to bulk:completed (all processed, digests queued)`, value: endToEnd[0], unit: 'ms', runs: 1, target: e2eTarget, detail: { samples: endToEnd } });
      if (endToEnd.length > 1) {
        const rest = summarize(endToEnd.slice(1));
        figures.push({ scenario: 'bulk', name: `${label} items: repeat runs (all skipped) to completed p50`, value: rest.p50, unit: 'ms', runs: rest.runs });
      }
    }
    const l = summarize(loop);
    const fifty = sizes[0].items.toLocaleString('en');
    const async202 = figures.find((f) => f.name === `${fifty} items: 202 answer p50`)!.value;
    const asyncEnd = figures.find((f) => f.name.startsWith(`${fifty} items: click to bulk:completed`))!.value;
    figures.push(
      { scenario: 'bulk', name: `sync baseline: ${fifty} items in a loop in the request, answer p50`, value: l.p50, unit: 'ms', runs: l.runs, detail: { samples: loop } },
      { scenario: 'bulk', name: `${fifty} items: answer ratio (sync loop / async 202)`, value: l.p50 / async202, unit: '×' },
      { scenario: 'bulk', name: `${fifty} items: all done ratio (sync loop / async end to end)`, value: l.p50 / asyncEnd, unit: '×' },
    );
  } finally {
    admin.socket.close();
  }
  return figures;
}
