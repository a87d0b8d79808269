import { BulkAccepted, Page, ProtocolDetail, ProtocolSortField, ProtocolSummary } from '@vetlab/shared';
import { join } from 'node:path';
import { api, BenchUser, connectUser, login } from '../lib/client';
import { Figure } from '../lib/report';
import { BenchStack, Driver, startStack } from '../lib/stack';
import { summarize } from '../lib/stats';
import { candidates } from './finalize';

const root = join(__dirname, '../..');

export interface DecadeOptions {
  driver: Driver;
  /** Protocols in the decade database (a million; fewer for a quick try). */
  protocols: number;
  /** Requests per measured query (after a few unmeasured ones). */
  requests: number;
}

interface Query {
  name: string;
  path: string;
  target: number;
}

/** p50/p99 of GET path as this user, `requests` times after three unmeasured warm-ups. */
async function measure(url: string, token: string, path: string, requests: number): Promise<{ p50: number; p99: number; runs: number; total: number; capped: boolean }> {
  let last: Page<ProtocolSummary> | null = null;
  for (let i = 0; i < 3; i++) last = (await api<Page<ProtocolSummary>>(url, token, 'GET', path)).body;
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const res = await api<Page<ProtocolSummary>>(url, token, 'GET', path);
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    ms.push(res.ms);
    last = res.body;
  }
  const s = summarize(ms);
  return { p50: s.p50, p99: s.p99, runs: s.runs, total: last?.total ?? 0, capped: !!last?.totalCapped };
}

/**
 * The small database's side of the comparison: finalize's 202 (a fully resulted two-page draft)
 * and cached opens of a work-order PDF, measured the same way on both.
 */
async function finalizeAndOpens(url: string, label: string, count: number): Promise<Figure[]> {
  const signer = await connectUser(url, 'firmante1@vetlab.local', 'vetlab-staff');
  const vet = await connectUser(url, 'vet1@vetlab.local', 'vetlab-vet');
  try {
    const pool = (await candidates(url, signer.token)).small.slice(0, count);
    if (!pool.length) throw new Error(`${label}: no complete two-page draft to finalize`);
    const accept: number[] = [];
    for (const c of pool) {
      const ready = waitFor(signer, 'report:ready', c.reportId);
      const res = await api(url, signer.token, 'POST', `/reports/${c.reportId}/finalize`);
      if (res.status !== 202) throw new Error(`${label}: finalize ${c.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      accept.push(res.ms);
      await ready;
    }
    const list = await api<Page<ProtocolSummary>>(url, vet.token, 'GET', '/protocols?status=submitted&pageSize=1');
    const protocol = list.body.items[0];
    if (!protocol) throw new Error(`${label}: vet1 has no submitted protocol`);
    const wo = (await api<ProtocolDetail>(url, vet.token, 'GET', `/protocols/${protocol.id}`)).body.workOrderId;
    const rendered = waitFor(vet, 'work-order-pdf:ready', wo);
    // A kept database may have it cached from an earlier run already (200 and the PDF, not 202).
    const first = await fetch(`${url}/api/work-orders/${wo}/pdf`, { headers: { Authorization: `Bearer ${vet.token}` } });
    await first.arrayBuffer();
    if (first.status === 202) await rendered;
    else rendered.catch(() => undefined);
    const opens: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t0 = performance.now();
      const res = await fetch(`${url}/api/work-orders/${wo}/pdf`, { headers: { Authorization: `Bearer ${vet.token}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${label}: cached open of ${wo}: HTTP ${res.status}`);
      opens.push(performance.now() - t0);
    }
    const a = summarize(accept);
    const o = summarize(opens);
    return [
      { scenario: 'decade', name: `finalize 202 p50 (${label})`, value: a.p50, unit: 'ms', runs: a.runs, detail: { p99: a.p99 } },
      { scenario: 'decade', name: `cached work-order open p50 (${label})`, value: o.p50, unit: 'ms', runs: o.runs, detail: { p99: o.p99 } },
    ];
  } finally {
    signer.socket.close();
    vet.socket.close();
  }
}

function waitFor(user: BenchUser, event: 'report:ready' | 'work-order-pdf:ready', id: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = user.socket as unknown as { on: (e: string, f: (x: Record<string, string>) => void) => void; off: (e: string, f: (x: Record<string, string>) => void) => void };
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} for ${id} within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (e: Record<string, string>) => {
      if (e.reportId !== id && e.workOrderId !== id) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve();
    };
    socket.on(event, on);
  });
}

/**
 * A decade of a lab (a million protocols, `npm run seed -- --profile=decade`), kept under
 * tmp/decade/<driver> and reused while complete: the protocol list (default page, each filter, each
 * sort, text search on code, animal and owner, and the total it shows), a vet's own list, a bulk
 * run's filter resolving 10,000 protocols, and finalize 202 and cached opens beside the same
 * measure on a small (demo) database of the same run.
 */
export async function decadeScenario(opts: DecadeOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  const small = await startStack({ driver: opts.driver, profile: 'demo', name: 'decade_small' });
  try {
    figures.push(...(await finalizeAndOpens(small.url, 'small database', 10)));
  } finally {
    await small.stop();
  }

  const stack: BenchStack = await startStack({
    driver: opts.driver,
    profile: 'decade',
    name: 'decade',
    keepIn: join(root, 'tmp', 'decade'),
    seedArgs: opts.protocols === 1_000_000 ? [] : [`--protocols=${opts.protocols}`],
  });
  try {
    if (stack.seedSeconds != null) figures.push({ scenario: 'decade', name: 'seed: the decade profile', value: stack.seedSeconds, unit: 's', target: { op: '<', value: 300 } });
    const admin = await login(stack.url, 'admin@vetlab.local', 'vetlab-admin');
    const vet = await login(stack.url, 'vet1@vetlab.local', 'vetlab-vet');
    const all = await api<Page<ProtocolSummary>>(stack.url, admin, 'GET', '/protocols?pageSize=1&page=2');
    const clinicId = all.body.items[0]?.clinic.id;
    // Search terms from protocols across the decade: an old code, an animal, an owner.
    const picks: ProtocolSummary[] = [];
    for (const page of [3, 4_000, 20_000]) {
      const res = await api<Page<ProtocolSummary>>(stack.url, admin, 'GET', `/protocols?pageSize=25&page=${page}`);
      if (res.body.items[0]) picks.push(res.body.items[0]);
    }
    const pick = (i: number) => picks[i % picks.length];
    const queries: Query[] = [
      { name: 'default page', path: '/protocols', target: 50 },
      { name: 'filter status=in_analysis', path: '/protocols?status=in_analysis', target: 50 },
      { name: 'filter status=reported', path: '/protocols?status=reported', target: 50 },
      { name: 'filter status=submitted,received', path: '/protocols?status=submitted,received', target: 50 },
      { name: 'filter clinic', path: `/protocols?clinicId=${clinicId}`, target: 50 },
      { name: 'filter species=cat', path: '/protocols?species=cat', target: 50 },
      { name: 'filter dates (one month, 2020)', path: '/protocols?from=2020-03-01&to=2020-03-31', target: 50 },
      ...ProtocolSortField.flatMap((f) => [
        { name: `sort ${f}`, path: `/protocols?sort=${f}`, target: 50 },
        { name: `sort -${f}`, path: `/protocols?sort=-${f}`, target: 50 },
      ]),
      { name: 'search: a code', path: `/protocols?q=${encodeURIComponent(pick(1).code)}`, target: 50 },
      { name: 'search: an animal', path: `/protocols?q=${encodeURIComponent(pick(2).animalName)}`, target: 50 },
      { name: 'search: an owner', path: `/protocols?q=${encodeURIComponent(pick(0).ownerName)}`, target: 50 },
      { name: 'search: an owner, status=reported', path: `/protocols?q=${encodeURIComponent(pick(1).ownerName)}&status=reported`, target: 50 },
      { name: 'search: part of a surname', path: `/protocols?q=${encodeURIComponent(pick(0).ownerName.split(' ').pop()!.slice(0, 4))}`, target: 50 },
    ];
    for (const q of queries) {
      const m = await measure(stack.url, admin, q.path, opts.requests);
      const shown = m.capped ? `more than ${m.total.toLocaleString('en')}` : m.total.toLocaleString('en');
      console.log(`    ${opts.driver} ${q.name}: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, total shown ${shown}`);
      figures.push({ scenario: 'decade', name: `protocol list p99: ${q.name} (total shown: ${shown})`, value: m.p99, unit: 'ms', runs: m.runs, target: { op: '<', value: q.target }, detail: { p50: m.p50, total: m.total, totalCapped: m.capped, path: q.path } });
    }
    const own = await measure(stack.url, vet, '/protocols', opts.requests);
    figures.push({ scenario: 'decade', name: "a vet's own list p99 (default page)", value: own.p99, unit: 'ms', runs: own.runs, target: { op: '<', value: 30 }, detail: { p50: own.p50, total: own.total, totalCapped: own.capped } });
    const ownSearch = await measure(stack.url, vet, `/protocols?q=${encodeURIComponent(pick(0).ownerName.split(' ')[0])}`, opts.requests);
    figures.push({ scenario: 'decade', name: "a vet's own list p99, searched", value: ownSearch.p99, unit: 'ms', runs: ownSearch.runs, target: { op: '<', value: 30 }, detail: { p50: ownSearch.p50 } });

    figures.push(...(await finalizeAndOpens(stack.url, 'decade database', 10)));
    const name = (n: string) => figures.find((f) => f.name === n)?.value ?? NaN;
    const ratio = (what: string) => name(`${what} (decade database)`) / name(`${what} (small database)`);
    figures.push({ scenario: 'decade', name: 'finalize 202 p50, decade / small', value: ratio('finalize 202 p50'), unit: '×' });
    figures.push({ scenario: 'decade', name: 'cached open p50, decade / small', value: ratio('cached work-order open p50'), unit: '×' });
    // Last (its run keeps the worker busy): a filter over some weeks of 2019 matching at most 10,000; the 202 includes resolving it.
    const bulkRun = await bulkFilter(stack.url, admin, opts.protocols);
    if (bulkRun) figures.push(bulkRun);
  } finally {
    await stack.stop();
  }
  return figures;
}

/** Narrows a date window until the filter matches at most 10,000, then measures the bulk request's 202. */
async function bulkFilter(url: string, token: string, protocols: number): Promise<Figure | null> {
  const perDay = protocols / 3653;
  let days = Math.max(1, Math.floor(10_000 / perDay) - 1);
  for (let attempt = 0; attempt < 6; attempt++) {
    const from = '2019-01-01';
    const to = new Date(Date.UTC(2019, 0, days)).toISOString().slice(0, 10);
    const filter = { status: 'reported', from, to };
    const res = await api<BulkAccepted>(url, token, 'POST', '/protocols/bulk', { action: 'receive', filter });
    if (res.status === 202) {
      return { scenario: 'decade', name: `bulk run: filter resolving ${res.body.total.toLocaleString('en')} protocols, 202`, value: res.ms, unit: 'ms', target: { op: '<', value: 1000 }, detail: { filter } };
    }
    if (res.status !== 400) throw new Error(`bulk with filter: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    days = Math.floor(days * 0.9);
  }
  return null;
}
