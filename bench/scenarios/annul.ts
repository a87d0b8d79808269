import type { JobEvent, JobView, ReportJobResult } from '@vetlab/shared';
import { BurstClient } from '../lib/burst';
import { api, benchFetch, BenchUser, connectUser, login } from '../lib/client';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';
import { candidates } from './finalize';

export interface AnnulOptions {
  /** Signers clicking at the same instant: each finalizes one report, then annuls its version. */
  signers: number;
  rounds: number;
  /** One unmeasured round of one report first (a fresh stack: the paths compiled, statements prepared). */
  warm: boolean;
  password: string;
  adminPassword: string;
  /** Resolves when the stack's worker has nothing left to do (BenchStack.quiet). */
  quiet: () => Promise<void>;
}

const REASON = 'Bench: muestra identificada con el animal equivocado';

/**
 * The times at which `job:completed` (or `job:failed`) reached one user's socket, by job id: the
 * listener is on before the burst goes out, so an event that outruns its 202 is not lost.
 */
class JobWatch {
  private readonly done = new Map<string, number | Error>();
  private readonly waiting = new Map<string, () => void>();
  private readonly onCompleted = (e: JobEvent) => this.settle(e.jobId, performance.now());
  private readonly onFailed = (e: JobEvent) => this.settle(e.jobId, new Error(`job ${e.jobId} (${e.kind}) failed: ${e.failedReason ?? ''}`));

  constructor(private readonly user: BenchUser) {
    user.socket.on('job:completed', this.onCompleted);
    user.socket.on('job:failed', this.onFailed);
  }

  private settle(jobId: string, at: number | Error) {
    if (this.done.has(jobId)) return;
    this.done.set(jobId, at);
    this.waiting.get(jobId)?.();
  }

  /** When the job's completion reached the socket. */
  async completed(jobId: string, timeoutMs: number): Promise<number> {
    if (!this.done.has(jobId)) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no job:completed for ${jobId} on ${this.user.email} within ${timeoutMs} ms`)), timeoutMs);
        this.waiting.set(jobId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiting.delete(jobId);
    }
    const at = this.done.get(jobId)!;
    if (at instanceof Error) throw at;
    return at;
  }

  close() {
    this.user.socket.off('job:completed', this.onCompleted);
    this.user.socket.off('job:failed', this.onFailed);
  }
}

interface Sample {
  /** Client-side time to the 202. */
  answer: number;
  /** From sending the request to job:completed on the signer's socket. */
  ready: number;
  /** The worker's own time in the rendering stage (the job's result). */
  renderMs: number | null;
}

/** A burst of one request per signer; every answer must be a 202; then every job's completion. */
async function burstToReady(
  burst: BurstClient,
  signers: BenchUser[],
  watches: JobWatch[],
  requests: { path: string; body?: unknown }[],
  what: string,
): Promise<{ samples: { answer: number; ready: number }[]; jobIds: string[] }> {
  await burst.open(requests.length);
  const t0 = performance.now();
  const answers = await burst.send(requests.map((r, i) => ({ method: 'POST', path: r.path, token: signers[i].token, body: r.body })));
  answers.forEach((a, i) => {
    if (a.status !== 202) throw new Error(`${what} ${requests[i].path}: HTTP ${a.status} ${JSON.stringify(a.body)}`);
  });
  const jobIds = answers.map((a) => (a.body as { jobId: string }).jobId);
  const readyAt = await Promise.all(jobIds.map((id, i) => watches[i].completed(id, 120_000)));
  return { samples: answers.map((a, i) => ({ answer: a.ms, ready: readyAt[i] - t0 })), jobIds };
}

async function jobResult(url: string, token: string, jobId: string): Promise<ReportJobResult> {
  const job = (await api<JobView>(url, token, 'GET', `/jobs/${jobId}`)).body;
  if (job.state !== 'completed') throw new Error(`job ${jobId}: ${job.state}`);
  return job.result as unknown as ReportJobResult;
}

const renderStage = (r: ReportJobResult) => r.stages.find((s) => s.stage === 'rendering' && !s.skipped)?.ms ?? null;

/**
 * Is an annulled PDF ready within the time budget of a finalize? In each round the signers click
 * "Finalizar" on as many two-page drafts at the same instant (202, then job:completed on each one's
 * socket: rendered, stored, status, outbox); once the stack is quiet, the same signers annul the
 * versions they just finalized, again at the same instant (202, then job:completed: the same report
 * rendered again stamped ANULADO / VOID, stored, the annulment mails in the outbox). Same documents,
 * same signers, same machine, one after the other: the ratio annul / finalize says what the
 * annulment costs over a finalize. After each round every VOID PDF is downloaded once: it must be a
 * 200 with the PDF (not a 202 rendering it again).
 */
export async function annulScenario(url: string, opts: AnnulOptions): Promise<Figure[]> {
  const adminToken = await login(url, 'admin@vetlab.local', opts.adminPassword);
  const pool = await candidates(url, adminToken);
  // Two-page reports, as most are; a small demo database (the smoke run) may have to lend longer ones.
  const drafts = [...pool.small, ...pool.medium];
  const needed = opts.signers * opts.rounds + (opts.warm ? 1 : 0);
  if (drafts.length < needed) throw new Error(`annul: ${drafts.length} fully resulted drafts left, ${needed} needed`);

  const signers: BenchUser[] = [];
  for (let i = 1; i <= opts.signers; i++) signers.push(await connectUser(url, `firmante${i}@vetlab.local`, opts.password));
  const watches = signers.map((s) => new JobWatch(s));
  const burst = BurstClient.fromUrl(url);
  const finalized: Sample[] = [];
  const annulled: Sample[] = [];
  let wrongDownloads = 0;
  const downloads: number[] = [];
  try {
    for (let round = opts.warm ? -1 : 0; round < opts.rounds; round++) {
      const n = round < 0 ? 1 : opts.signers;
      const reports = drafts.splice(0, n).map((c) => c.reportId);
      const who = signers.slice(0, n);

      await opts.quiet();
      const fin = await burstToReady(burst, who, watches, reports.map((id) => ({ path: `/api/reports/${id}/finalize` })), 'finalize');
      const finResults = await Promise.all(fin.jobIds.map((id, i) => jobResult(url, who[i].token, id)));

      // The finalize's e-mails sent first: the annulments start on a quiet worker, as the finalizes did.
      await opts.quiet();
      const ann = await burstToReady(
        burst,
        who,
        watches,
        finResults.map((r) => ({ path: `/api/reports/${r.reportId}/versions/${r.version}/annul`, body: { reason: REASON } })),
        'annul',
      );
      const annResults = await Promise.all(ann.jobIds.map((id, i) => jobResult(url, who[i].token, id)));

      // The VOID PDF is there once the job completed: a 200 with the file, never a 202 rendering it again.
      for (const [i, r] of finResults.entries()) {
        const t0 = performance.now();
        const res = await benchFetch(`${url}/api/reports/${r.reportId}/versions/${r.version}/pdf`, { headers: { Authorization: `Bearer ${who[i].token}` } });
        const bytes = Buffer.from(await res.arrayBuffer());
        downloads.push(performance.now() - t0);
        const pdf = res.status === 200 && (res.headers.get('content-type') ?? '').includes('application/pdf') && bytes.subarray(0, 5).toString('latin1') === '%PDF-';
        if (!pdf || bytes.length !== annResults[i].size) wrongDownloads++;
      }
      if (round < 0) continue;
      finalized.push(...fin.samples.map((s, i) => ({ ...s, renderMs: renderStage(finResults[i]) })));
      annulled.push(...ann.samples.map((s, i) => ({ ...s, renderMs: renderStage(annResults[i]) })));
    }
  } finally {
    burst.close();
    for (const w of watches) w.close();
    for (const s of signers) s.socket.close();
  }

  const at = `${opts.signers} signers at once`;
  const fa = summarize(finalized.map((s) => s.answer));
  const aa = summarize(annulled.map((s) => s.answer));
  const fr = summarize(finalized.map((s) => s.ready));
  const ar = summarize(annulled.map((s) => s.ready));
  const renders = (xs: Sample[]) => xs.map((s) => s.renderMs).filter((ms): ms is number => ms != null);
  const fRender = summarize(renders(finalized));
  const aRender = summarize(renders(annulled));
  const samples = (xs: Sample[], key: 'answer' | 'ready') => xs.map((s) => Math.round(s[key] * 10) / 10);
  // "Within the same time budget": the annulment may cost what the run-to-run noise of this machine does (~20 %), no more.
  const budget = { op: '<=' as const, value: 1.25 };
  return [
    { scenario: 'annul', name: `finalize: 202 answer p50 (${at})`, value: fa.p50, unit: 'ms', runs: fa.runs },
    { scenario: 'annul', name: `finalize: 202 answer p99 (${at})`, value: fa.p99, unit: 'ms', runs: fa.runs, detail: { samples: samples(finalized, 'answer') } },
    { scenario: 'annul', name: `annul: 202 answer p50 (${at})`, value: aa.p50, unit: 'ms', runs: aa.runs },
    { scenario: 'annul', name: `annul: 202 answer p99 (${at})`, value: aa.p99, unit: 'ms', runs: aa.runs, detail: { samples: samples(annulled, 'answer') } },
    { scenario: 'annul', name: 'finalize: click to job:completed p50', value: fr.p50, unit: 'ms', runs: fr.runs, detail: { ...fr } },
    { scenario: 'annul', name: 'finalize: click to job:completed p99', value: fr.p99, unit: 'ms', runs: fr.runs, detail: { samples: samples(finalized, 'ready') } },
    { scenario: 'annul', name: 'annul: request to VOID PDF ready (job:completed) p50', value: ar.p50, unit: 'ms', runs: ar.runs, detail: { ...ar } },
    { scenario: 'annul', name: 'annul: request to VOID PDF ready (job:completed) p99', value: ar.p99, unit: 'ms', runs: ar.runs, detail: { samples: samples(annulled, 'ready') } },
    { scenario: 'annul', name: 'ready p50 ratio (annul / finalize)', value: ar.p50 / fr.p50, unit: '×', target: budget },
    { scenario: 'annul', name: 'ready p99 ratio (annul / finalize)', value: ar.p99 / fr.p99, unit: '×', target: budget },
    { scenario: 'annul', name: 'worker: rendering stage p50, finalize', value: fRender.p50, unit: 'ms', runs: fRender.runs, detail: { ...fRender } },
    { scenario: 'annul', name: 'worker: rendering stage p50, annul (stamped VOID)', value: aRender.p50, unit: 'ms', runs: aRender.runs, detail: { ...aRender } },
    {
      scenario: 'annul',
      name: 'VOID PDF downloads after job:completed not a 200 with the file',
      value: wrongDownloads,
      unit: '',
      target: { op: '<=', value: 0 },
      runs: downloads.length,
      detail: { downloadMs: summarize(downloads) },
    },
  ];
}
