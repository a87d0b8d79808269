import type { Page, ProtocolDetail, ProtocolSummary, ReportView } from '@vetlab/shared';
import { api, BenchUser, connectUser, login } from '../lib/client';
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

/**
 * N signers click "Finalizar" on N different reports at the same moment, like browsers: the
 * answer time of each 202, and the time until that signer's socket hears report:ready.
 */
export async function finalizeScenario(url: string, opts: { signers: number; rounds: number; password: string; adminPassword: string }): Promise<Figure[]> {
  const adminToken = await login(url, 'admin@vetlab.local', opts.adminPassword);
  const pool = await candidates(url, adminToken);
  const signers: BenchUser[] = [];
  for (let i = 1; i <= opts.signers; i++) signers.push(await connectUser(url, `firmante${i}@vetlab.local`, opts.password));

  const accept: number[] = [];
  const ready: number[] = [];
  const bySize: Record<string, number[]> = { '2-page': [], '5-page': [], '20-page': [] };
  let first = Infinity;
  let last = 0;
  try {
    for (let round = 0; round < opts.rounds; round++) {
      // Round one mixes in the long reports; the rest are the everyday two-pagers.
      const batch: { c: Candidate; size: string }[] = [];
      if (round === 0) {
        for (const c of pool.large.splice(0, 1)) batch.push({ c, size: '20-page' });
        for (const c of pool.medium.splice(0, 2)) batch.push({ c, size: '5-page' });
      }
      while (batch.length < signers.length && pool.small.length) batch.push({ c: pool.small.shift()!, size: '2-page' });
      if (batch.length < signers.length) throw new Error(`not enough resulted drafts for round ${round + 1}`);
      const results = await Promise.all(
        batch.map(async ({ c, size }, i) => {
          const user = signers[i];
          const t0 = performance.now();
          first = Math.min(first, t0);
          const readyAt = waitReady(user, c.reportId, 120_000);
          const res = await api<{ jobId: string }>(url, user.token, 'POST', `/reports/${c.reportId}/finalize`);
          if (res.status !== 202) throw new Error(`finalize ${c.reportId}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
          const t1 = await readyAt;
          last = Math.max(last, t1);
          return { size, accept: res.ms, ready: t1 - t0 };
        }),
      );
      for (const r of results) {
        accept.push(r.accept);
        ready.push(r.ready);
        bySize[r.size].push(r.ready);
      }
    }
  } finally {
    for (const s of signers) s.socket.close();
  }
  const a = summarize(accept);
  const r = summarize(ready);
  const figures: Figure[] = [
    { scenario: 'finalize', name: `202 answer p50 (${opts.signers} signers at once)`, value: a.p50, unit: 'ms', runs: a.runs },
    { scenario: 'finalize', name: `202 answer p99 (${opts.signers} signers at once)`, value: a.p99, unit: 'ms', runs: a.runs, target: { op: '<', value: 15 } },
    { scenario: 'finalize', name: 'click to report:ready p50', value: r.p50, unit: 'ms', runs: r.runs },
    { scenario: 'finalize', name: 'click to report:ready p99', value: r.p99, unit: 'ms', runs: r.runs },
    { scenario: 'finalize', name: 'reports finalized per second (end to end)', value: (ready.length * 1000) / (last - first), unit: '/s', runs: ready.length },
  ];
  for (const [size, values] of Object.entries(bySize)) {
    if (!values.length) continue;
    const s = summarize(values);
    figures.push({ scenario: 'finalize', name: `click to ready, ${size} p50`, value: s.p50, unit: 'ms', runs: s.runs });
  }
  return figures;
}
