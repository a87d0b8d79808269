import type { BulkAccepted, CatalogueView, ProtocolDetail } from '@vetlab/shared';
import type { Prng } from '../../apps/api/src/seed/prng';
import { api, login } from '../lib/client';
import { idsOf } from '../scenarios/bulk';

/** A request that has not answered after this long is counted as "no answer" (nobody may be left waiting). */
const ANSWER_TIMEOUT_MS = 15_000;

/** One request of the drill: when it went out (ms since the drill started), how long it took, its status (0: no answer). */
export interface Sample {
  what: 'finalize' | 'work-order open' | 'bulk';
  start: number;
  ms: number;
  status: number;
}

/** Every request the drill sends goes through here, so the table sees all of them. */
export class Requests {
  readonly samples: Sample[] = [];

  constructor(
    readonly url: string,
    private readonly t0: number,
  ) {}

  now(): number {
    return Date.now() - this.t0;
  }

  async send<T>(what: Sample['what'], token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T | null }> {
    const start = this.now();
    let status = 0;
    let parsed: T | null = null;
    try {
      const res = await fetch(`${this.url}/api${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      });
      const bytes = Buffer.from(await res.arrayBuffer());
      status = res.status;
      if (res.headers.get('content-type')?.includes('json') && bytes.length) parsed = JSON.parse(bytes.toString('utf8')) as T;
    } catch {
      // No answer (timeout, refused connection): status 0.
    }
    this.samples.push({ what, start, ms: this.now() - start, status });
    return { status, body: parsed };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the load did, for the checks. */
export interface LoadOutcome {
  /** Reports whose finalize was accepted (202). */
  finalized: Set<string>;
  /** Work orders whose PDF was asked for and promised (202) or served (200). */
  opened: Set<string>;
  /** Protocols of the bulk run, and the runs the API accepted (a retried request may start a second one). */
  bulk: { protocolIds: string[]; bulkIds: string[] };
}

export interface LoadPlan {
  finalizeReports: string[];
  signers: string[];
  /** A signer's pause between two finalizes: spreads the reports over the whole load. */
  signerPauseMs: number;
  /** Vet e-mail → work orders of that vet's clinic to open. */
  workOrders: Map<string, string[]>;
  bulkProtocolIds: string[];
}

/**
 * Submitted protocols for the bulk run: the seed's, topped up through intake by the vets when the
 * seed has fewer (the demo profile), before any fault starts.
 */
export async function bulkProtocols(url: string, adminToken: string, vetTokens: string[], count: number): Promise<string[]> {
  const seeded = await idsOf(url, adminToken, 'status=submitted', count);
  const missing = count - seeded.length;
  if (missing <= 0) return seeded;
  const catalogue = await api<CatalogueView>(url, vetTokens[0], 'GET', '/catalogue');
  const panel = catalogue.body?.panels[0];
  if (!panel) throw new Error(`no panel in the catalogue (HTTP ${catalogue.status})`);
  const created: string[] = [];
  let next = 0;
  // Eight at a time, as eight people at the front desk would.
  const desk = async () => {
    for (let i = next++; i < missing; i = next++) {
      const body = {
        animal: { name: `Caos ${i}`, species: 'dog', sex: 'unknown' },
        owner: { name: 'Simulacro' },
        samples: [{ type: 'whole_blood_edta', count: 1 }, { type: 'serum', count: 1 }],
        panelIds: [panel.id],
      };
      const res = await api<ProtocolDetail>(url, vetTokens[i % vetTokens.length], 'POST', '/protocols', body);
      if (res.status !== 201 || !res.body) throw new Error(`intake: HTTP ${res.status}`);
      created.push(res.body.id);
    }
  };
  await Promise.all(Array.from({ length: 8 }, desk));
  return [...seeded, ...created];
}

/** Work orders each vet may open: their clinic's protocols outside the bulk run (whose status it changes). */
export async function workOrdersOf(url: string, vets: { email: string; token: string }[], exclude: Set<string>, perVet: number): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const vet of vets) {
    const ids = (await idsOf(url, vet.token, 'status=submitted,received,reported', perVet + exclude.size)).filter((id) => !exclude.has(id)).slice(0, perVet);
    const workOrders: string[] = [];
    for (const id of ids) workOrders.push((await api<ProtocolDetail>(url, vet.token, 'GET', `/protocols/${id}`)).body.workOrderId);
    out.set(vet.email, workOrders);
  }
  return out;
}

/**
 * The users at work while `loading()` says so: signers finalizing one report after the other (a
 * 503 or no answer: the same report again a little later, as a signer would click again), vets
 * opening work orders (new ones, cold, and ones opened before, cached), and one admin's bulk run,
 * sent again until accepted.
 */
export async function runLoad(
  req: Requests,
  plan: LoadPlan,
  passwords: { signer: string; vet: string; admin: string },
  prng: Prng,
  loading: () => boolean,
): Promise<LoadOutcome> {
  const outcome: LoadOutcome = { finalized: new Set(), opened: new Set(), bulk: { protocolIds: plan.bulkProtocolIds, bulkIds: [] } };
  const pool = [...plan.finalizeReports];

  const signer = async (email: string, r: Prng) => {
    const token = await login(req.url, email, passwords.signer);
    while (loading() && pool.length) {
      const reportId = pool.shift()!;
      const res = await req.send('finalize', token, 'POST', `/reports/${reportId}/finalize`);
      if (res.status === 202) outcome.finalized.add(reportId);
      else if (res.status === 503 || res.status === 0) pool.push(reportId);
      await sleep(plan.signerPauseMs * r.float(0.5, 1.5));
    }
  };

  const vet = async (email: string, workOrders: string[], r: Prng) => {
    const token = await login(req.url, email, passwords.vet);
    const fresh = [...workOrders];
    const seen: string[] = [];
    while (loading() && (fresh.length || seen.length)) {
      const cold = fresh.length > 0 && (seen.length === 0 || r.chance(0.5));
      const id = cold ? fresh.shift()! : r.pick(seen);
      const res = await req.send('work-order open', token, 'GET', `/work-orders/${id}/pdf`);
      if (res.status === 200 || res.status === 202) {
        outcome.opened.add(id);
        if (cold) seen.push(id);
      } else if (cold) fresh.push(id);
      await sleep(r.int(150, 600));
    }
  };

  const admin = async () => {
    const token = await login(req.url, 'admin@vetlab.local', passwords.admin);
    await sleep(2000);
    while (loading()) {
      const res = await req.send<BulkAccepted>('bulk', token, 'POST', '/protocols/bulk', { action: 'receive', ids: plan.bulkProtocolIds });
      if (res.status === 202 && res.body) {
        outcome.bulk.bulkIds.push(res.body.bulkId);
        return;
      }
      if (res.status !== 503 && res.status !== 0) throw new Error(`bulk run refused: HTTP ${res.status}`);
      await sleep(1000);
    }
  };

  await Promise.all([
    ...plan.signers.map((email) => signer(email, prng.fork(email))),
    ...[...plan.workOrders].map(([email, ids]) => vet(email, ids, prng.fork(email))),
    admin(),
  ]);
  return outcome;
}
