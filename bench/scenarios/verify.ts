import type { FinalizeAccepted, JobView, Page, ProtocolDetail, ProtocolSummary, ReportJobResult, ReportView } from '@vetlab/shared';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, login } from '../lib/client';
import type { Figure } from '../lib/report';
import { parseWrk, WrkResult } from './work-order';

export interface VerifyOptions {
  /** Reports finalized first, whose codes are the known ones. */
  reports: number;
  /** Requests per second in all, half of known and half of unknown codes, at the same time. */
  rate: number;
  seconds: number;
  adminPassword: string;
  signerPassword: string;
}

/** Finalizes `count` fully resulted drafts through the API and returns their printed codes. */
async function knownCodes(url: string, count: number, opts: VerifyOptions): Promise<string[]> {
  const admin = await login(url, 'admin@vetlab.local', opts.adminPassword);
  const signer = await login(url, 'firmante1@vetlab.local', opts.signerPassword);
  const jobs: string[] = [];
  const list = await api<Page<ProtocolSummary>>(url, admin, 'GET', '/protocols?status=in_analysis&pageSize=200');
  for (const p of list.body.items) {
    if (jobs.length === count) break;
    const detail = await api<ProtocolDetail>(url, admin, 'GET', `/protocols/${p.id}`);
    const report = await api<ReportView>(url, admin, 'GET', `/reports/${detail.body.reportId}`);
    if (!report.body.versions[0]?.complete || report.body.versions[0].status !== 'draft') continue;
    const accepted = await api<FinalizeAccepted>(url, signer, 'POST', `/reports/${report.body.id}/finalize`);
    if (accepted.status !== 202) throw new Error(`finalize: HTTP ${accepted.status}`);
    jobs.push(accepted.body.jobId);
  }
  if (jobs.length < count) throw new Error(`only ${jobs.length} fully resulted drafts to finalize`);
  const codes: string[] = [];
  const deadline = Date.now() + 120_000;
  for (const id of jobs) {
    for (;;) {
      const job = (await api<JobView>(url, signer, 'GET', `/jobs/${id}`)).body;
      if (job.state === 'completed') {
        codes.push((job.result as unknown as ReportJobResult).verificationCode);
        break;
      }
      if (job.state === 'failed' || Date.now() > deadline) throw new Error(`finalize job ${id}: ${job.state} ${job.failedReason ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return codes;
}

const WRK = process.env.WRK_PATH ?? 'wrk';

/**
 * A wrk Lua script: GET /api/verify/<code> at a steady pace (each connection waits `delayMs`
 * between its requests, so `connections` of them make connections × 1000 / delayMs per second),
 * each request from its own client address (X-Forwarded-For, believed from loopback; `net` keeps
 * the two runs' addresses apart), so the per-address limit counts every lookup in Redis and
 * refuses none. `known` cycles through codes that exist; without it every code is a random
 * well-formed one (80 bits) that no version has.
 */
function lookupScript(opts: { known?: string[]; net: number; delayMs: number; path?: string }): string {
  return [
    `local known = { ${(opts.known ?? []).map((c) => JSON.stringify(c)).join(', ')} }`,
    "local alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'",
    'local n = 0',
    'local thread_id = 0',
    'function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end',
    'function init(args) math.randomseed(os.time() + (tid or 0)) end',
    'local function random_code()',
    "  local parts = {}",
    '  for g = 1, 4 do',
    "    local s = ''",
    '    for k = 1, 4 do local i = math.random(1, 32); s = s .. alphabet:sub(i, i) end',
    '    parts[g] = s',
    '  end',
    "  return table.concat(parts, '-')",
    'end',
    `function delay() return ${opts.delayMs} end`,
    'function request()',
    '  n = n + 1',
    '  local code = #known > 0 and known[n % #known + 1] or random_code()',
    `  local address = string.format('${opts.net}.%d.%d.%d', (tid or 0) % 256, math.floor(n / 256) % 256, n % 256)`,
    opts.path
      ? `  return wrk.format('GET', ${JSON.stringify(opts.path)}, { ['X-Forwarded-For'] = address })`
      : "  return wrk.format('GET', '/api/verify/' .. code, { ['X-Forwarded-For'] = address })",
    'end',
    '',
  ].join('\n');
}

/** wrk with the script, asynchronously (the known and the unknown run go at the same time). */
function runWrk(url: string, script: string, opts: { connections: number; seconds: number }): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-verify-'));
  const file = join(dir, 'verify.lua');
  writeFileSync(file, script);
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '2s', '--latency', '-s', file, url];
  return new Promise<WrkResult>((resolve, reject) => {
    execFile(WRK, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (error) reject(new Error(`${WRK} failed (${error.message}); install it (Debian: apt-get install wrk)\n${stdout}\n${stderr}`));
      else resolve(parseWrk(stdout));
    });
  });
}

/**
 * The public verification page's API under a steady `rate` of lookups, half of codes that exist
 * and half of codes that do not, both at once (two wrk runs): p50/p99 of each side by side (an
 * unknown code must cost the same).
 */
export async function verifyScenario(url: string, opts: VerifyOptions): Promise<Figure[]> {
  const known = await knownCodes(url, opts.reports, opts);
  // Each side: rate / 2 per second from CONNECTIONS connections.
  const CONNECTIONS = 10;
  const delayMs = Math.round((CONNECTIONS * 1000) / (opts.rate / 2));
  const both = (seconds: number) =>
    Promise.all([
      runWrk(url, lookupScript({ known, net: 10, delayMs }), { connections: CONNECTIONS, seconds }),
      runWrk(url, lookupScript({ net: 11, delayMs }), { connections: CONNECTIONS, seconds }),
    ]);
  // Unmeasured: the statement prepared, the connections opened, the path compiled.
  await both(1);
  const [k, u] = await both(opts.seconds);
  // Control: the smallest route at the same pace and connections, alone: this machine's floor now.
  const health = await runWrk(url, lookupScript({ net: 12, delayMs, path: '/api/health' }), { connections: 2 * CONNECTIONS, seconds: Math.max(1, Math.round(opts.seconds / 2)) });
  // Known codes answer 200; unknown ones 404, which wrk counts as non-2xx.
  const wrong = k.non2xx + (u.requests - u.non2xx);
  return [
    { scenario: 'verify', name: 'known code (200) p50', value: k.p50, unit: 'ms', runs: k.requests, detail: { ...k, seconds: opts.seconds, rate: opts.rate } },
    { scenario: 'verify', name: 'unknown code (404) p50', value: u.p50, unit: 'ms', runs: u.requests, detail: { ...u } },
    { scenario: 'verify', name: 'known code (200) p99', value: k.p99, unit: 'ms', target: { op: '<', value: 20 }, runs: k.requests },
    { scenario: 'verify', name: 'unknown code (404) p99', value: u.p99, unit: 'ms', target: { op: '<', value: 20 }, runs: u.requests },
    { scenario: 'verify', name: 'p50 unknown / known (1 = same time)', value: u.p50 / k.p50, unit: '×' },
    { scenario: 'verify', name: 'lookups per second, both', value: k.requestsPerSecond + u.requestsPerSecond, unit: '/s', runs: k.requests + u.requests },
    { scenario: 'verify', name: 'control: GET /api/health at the same pace, p50', value: health.p50, unit: 'ms', runs: health.requests, detail: { ...health } },
    { scenario: 'verify', name: 'control: GET /api/health at the same pace, p99', value: health.p99, unit: 'ms', runs: health.requests },
    { scenario: 'verify', name: 'answers with a wrong status', value: wrong, unit: '', target: { op: '<=', value: 0 }, detail: { knownNon2xx: k.non2xx, unknownNot404: u.requests - u.non2xx, errors: [k.errors, u.errors] } },
  ];
}
