import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { recipientsOf, TestSmtp } from '../../apps/api/test/support/smtp';
import { compiledApi } from '../lib/api';
import { json } from './db';
import type { LoadOutcome } from './load';

const { reportMessageId, bulkDigestMessageId } = compiledApi<typeof import('../../apps/api/src/mail/outbox.service')>('mail/outbox.service');

/** One promise kept or not: how many were due, how many never happened, how many happened more than once. */
export interface Tally {
  expected: number;
  lost: number;
  duplicated: number;
  /** A few examples of what went wrong, for the reader of a failed drill. */
  examples: string[];
}

/**
 * Mails that went twice through the window no sender can close (RFC 1047): the SMTP server took
 * the message and its sender was SIGKILLed before that was recorded, so the next sender sent it
 * again, the same message (same Message-ID; the PDF check holds every copy to the stored file). A
 * receiving side that deduplicates on Message-ID shows one. Reported, not a failure; any other
 * repeat is a duplicate.
 */
export interface ResentAfterKill {
  count: number;
  examples: string[];
}

/** A worker the drill killed: its pid and when (Date.now()). */
export interface Kill {
  pid: number;
  /** When the process was seen gone (its exit after SIGKILL). */
  at: number;
}

/** For a repeat that is not excused: the sender's last kill before it began the copy, if any. */
function killedBefore(kills: Kill[], c: Copy): string {
  const k = kills.filter((x) => x.pid === c.sender && x.at < c.startedAt).sort((a, b) => b.at - a.at)[0];
  return k ? ` (gone ${c.startedAt - k.at} ms before it began the copy)` : '';
}

/** One copy of a mail the server took: who sent it (known at MAIL FROM), when it began and when its data ended. */
interface Copy {
  startedAt: number;
  at: number;
  sender: number | null;
}

export interface Outcomes {
  pdfs: Tally;
  mails: Tally;
  resentAfterKill: ResentAfterKill;
  audit: Tally;
  bulkItems: Tally;
  workOrderPdfs: Tally;
  /** Bulk runs not completed. */
  unfinishedRuns: number;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tally = (): Tally => ({ expected: 0, lost: 0, duplicated: 0, examples: [] });
const note = (t: Tally, line: string) => void (t.examples.length < 5 && t.examples.push(line));
/** `n` occurrences of something due once: lost when 0, each one past the first a duplicate. */
const count = (t: Tally, n: number, what: string) => {
  t.expected++;
  if (n === 0) {
    t.lost++;
    note(t, `lost: ${what}`);
  } else if (n > 1) {
    t.duplicated += n - 1;
    note(t, `${n}×: ${what}`);
  }
};

/**
 * Everything the load was promised, read from the database, the storage folder and the SMTP
 * server. `thorough` also reads every stored PDF (SHA-256, and its text for the verification code):
 * the final check; the settle loop polls without it.
 */
export async function checkOutcomes(db: Knex, filesDir: string, smtp: TestSmtp, load: LoadOutcome, kills: Kill[], thorough: boolean): Promise<Outcomes> {
  const out: Outcomes = { pdfs: tally(), mails: tally(), resentAfterKill: { count: 0, examples: [] }, audit: tally(), bulkItems: tally(), workOrderPdfs: tally(), unfinishedRuns: 0 };

  // Mails received, by Message-ID and recipient: how many times, when and from whom, and their attachments.
  const seenKeys = new Map<string, number>();
  const copies = new Map<string, Copy[]>();
  const received = new Map<string, Buffer[]>();
  for (const { mail: m, startedAt, at, sender } of smtp.receipts) {
    for (const to of recipientsOf(m)) {
      const key = `${m.messageId} ${to}`;
      seenKeys.set(key, (seenKeys.get(key) ?? 0) + 1);
      copies.set(key, [...(copies.get(key) ?? []), { startedAt, at, sender }]);
      received.set(key, [...(received.get(key) ?? []), ...m.attachments.map((a) => a.content)]);
    }
  }
  /** Mail key → what it is, for an example line. */
  const mailsDue = new Map<string, string>();

  // Finalizes: the version each accepted report had claimed (its newest), its PDF, mails and audit entry.
  const reportIds = [...load.finalized];
  const versions = await db('report_versions').whereIn('report_id', reportIds).select('id', 'report_id', 'number', 'status', 'failure_reason', 'pdf_key', 'pdf_sha256', 'verification_code');
  const newest = new Map<string, (typeof versions)[number]>();
  for (const v of versions) if (!newest.has(v.report_id) || newest.get(v.report_id).number < v.number) newest.set(v.report_id, v);
  const people = await db('reports as r')
    .join('protocols as p', 'p.id', 'r.protocol_id')
    .join('clinics as c', 'c.id', 'p.clinic_id')
    .leftJoin('users as u', 'u.id', 'p.vet_id')
    .whereIn('r.id', reportIds)
    .select('r.id as report_id', 'c.result_emails', 'u.email as vet_email');
  const recipients = new Map(people.map((r) => [r.report_id as string, [...new Set([...json<string[]>(r.result_emails), r.vet_email].filter(Boolean).map((a: string) => a.trim().toLowerCase()))]]));
  const finalizeJobs = await db('jobs').where({ kind: 'finalize_report', state: 'completed' }).whereIn('subject_id', reportIds).select('payload');
  const jobsPerVersion = new Map<string, number>();
  for (const j of finalizeJobs) {
    const id = json<{ versionId: string }>(j.payload).versionId;
    jobsPerVersion.set(id, (jobsPerVersion.get(id) ?? 0) + 1);
  }
  const finalizeAudit = await db('audit_log').where({ entity: 'report', action: 'status_change' }).whereIn('entity_id', reportIds).select('entity_id', 'after');
  for (const reportId of reportIds) {
    const v = newest.get(reportId);
    const what = `report ${reportId} v${v?.number ?? '?'}`;
    const stored = v?.pdf_key ? join(filesDir, ...String(v.pdf_key).split('/')) : null;
    const file = stored && existsSync(stored) ? readFileSync(stored) : null;
    const mailed = (recipients.get(reportId) ?? []).map((to) => `${reportMessageId(reportId, v?.number ?? 0, to)} ${to}`);
    let problem: string | null = null;
    if (v?.status !== 'finalized') problem = `is ${v?.status ?? 'missing'}${v?.failure_reason ? ` (${v.failure_reason})` : ''}`;
    else if (!file) problem = 'has no stored file';
    else if (thorough && sha256(file) !== v.pdf_sha256) problem = "stored file's SHA-256 is not the database's";
    else if (thorough && !pdfText(file).includes(v.verification_code)) problem = 'stored file lacks the verification code of the database';
    out.pdfs.expected++;
    if (problem) {
      out.pdfs.lost++;
      note(out.pdfs, `lost: ${what} ${problem}`);
    }
    // A second PDF of one version: a mailed attachment other than the stored file, or a second completed finalize job.
    const differing = thorough && file ? mailed.flatMap((k) => received.get(k) ?? []).filter((a) => sha256(a) !== sha256(file)).length : 0;
    const jobs = v ? (jobsPerVersion.get(v.id) ?? 0) : 0;
    const extra = Math.max(differing, jobs - 1);
    if (extra > 0) {
      out.pdfs.duplicated += extra;
      note(out.pdfs, `duplicated: ${what}: ${differing} mailed attachment(s) differ from the stored file, ${jobs} completed finalize jobs`);
    }
    for (const k of mailed) mailsDue.set(k, `report mail ${what} to ${k.split(' ')[1]}`);
    const entries = finalizeAudit.filter((a) => {
      const after = json<{ status?: string; versionNumber?: number } | null>(a.after);
      return a.entity_id === reportId && after?.status === 'finalized' && after.versionNumber === v?.number;
    });
    count(out.audit, entries.length, `finalize audit entry of ${what}`);
  }

  // The bulk run: each protocol changed once, with one audit entry; every run completed; one digest per clinic and recipient.
  const bulkIds = load.bulk.protocolIds;
  const runs = load.bulk.bulkIds.length ? await db('bulk_runs').whereIn('id', load.bulk.bulkIds).select('id', 'number', 'state') : [];
  out.unfinishedRuns = load.bulk.bulkIds.length ? runs.filter((r) => r.state !== 'completed').length : 1;
  const statuses = new Map((await db('protocols').whereIn('id', bulkIds).select('id', 'status')).map((p) => [p.id as string, p.status as string]));
  const received1 = new Map<string, number>();
  for (const a of await db('audit_log').where({ entity: 'protocol', action: 'status_change' }).whereIn('entity_id', bulkIds).select('entity_id', 'after')) {
    if (json<{ status?: string } | null>(a.after)?.status === 'received') received1.set(a.entity_id, (received1.get(a.entity_id) ?? 0) + 1);
  }
  for (const id of bulkIds) {
    const n = received1.get(id) ?? 0;
    count(out.bulkItems, statuses.get(id) === 'received' ? n : 0, `protocol ${id} received by the bulk run (status ${statuses.get(id)}, ${n} audit entries)`);
  }
  for (const run of runs.filter((r) => r.state === 'completed')) {
    const clinics = await db('clinics')
      .whereIn('id', db('bulk_items as i').join('protocols as p', 'p.id', 'i.protocol_id').where({ 'i.run_id': run.id, 'i.status': 'succeeded' }).select('p.clinic_id'))
      .select('id', 'result_emails');
    for (const c of clinics) {
      for (const to of new Set(json<string[]>(c.result_emails).map((a) => a.trim().toLowerCase()))) {
        mailsDue.set(`${bulkDigestMessageId(c.id, run.number, to)} ${to}`, `bulk digest of run ${run.number} to ${to}`);
      }
    }
  }

  // Mails: each one due arrived once; anything that arrived twice is a duplicate, due or not, unless
  // every earlier copy's sender was killed after the server had taken it (the SMTP window).
  for (const [key, what] of mailsDue) count(out.mails, Math.min(seenKeys.get(key) ?? 0, 1), what);
  for (const [key, n] of seenKeys) {
    if (n <= 1) continue;
    // A copy's sender killed after it began the copy and before the next copy began: it may never
    // have heard the server's 250, or not lived to record it. (The drill sees the data's end only
    // when its own event loop gets to it, possibly after the kill: the start is what is certain.)
    const all = (copies.get(key) ?? []).sort((a, b) => a.at - b.at);
    const earlier = all.slice(0, -1);
    const killedAfter = earlier.map((c, i) => kills.find((k) => c.sender != null && k.pid === c.sender && k.at >= c.startedAt && k.at <= all[i + 1].startedAt + 1));
    if (killedAfter.every((k) => k)) {
      out.resentAfterKill.count += n - 1;
      const after = killedAfter.map((k, i) => `pid ${k!.pid} gone ${k!.at - earlier[i].at} ms after the server took copy ${i + 1}`).join('; ');
      if (out.resentAfterKill.examples.length < 5) out.resentAfterKill.examples.push(`${n}×: ${key} (${after})`);
    } else {
      out.mails.duplicated += n - 1;
      const senders = earlier.map((c) => (c.sender == null ? 'sender unknown' : `pid ${c.sender} not killed while it was sending it${killedBefore(kills, c)}`)).join('; ');
      note(out.mails, `${n}×: ${key} (earlier copies: ${senders})`);
    }
  }

  // Work-order opens: each got its PDF (the current content version stored), rendered by one job.
  const opened = [...load.opened];
  const current = new Map((await db('work_orders').whereIn('id', opened).select('id', 'content_version')).map((w) => [w.id as string, Number(w.content_version)]));
  const pdfs = await db('work_order_pdfs').whereIn('work_order_id', opened).whereNotNull('storage_key').select('work_order_id', 'content_version', 'storage_key');
  const renders = new Map<string, number>();
  for (const j of await db('jobs').where({ kind: 'work_order_pdf' }).whereIn('subject_id', opened).select('payload')) {
    const p = json<{ workOrderId: string; version: number }>(j.payload);
    renders.set(`${p.workOrderId} v${p.version}`, (renders.get(`${p.workOrderId} v${p.version}`) ?? 0) + 1);
  }
  for (const id of opened) {
    const version = current.get(id);
    const pdf = pdfs.find((p) => p.work_order_id === id && Number(p.content_version) === version);
    const stored = pdf && existsSync(join(filesDir, ...String(pdf.storage_key).split('/')));
    const jobs = renders.get(`${id} v${version}`) ?? 0;
    count(out.workOrderPdfs, stored ? Math.max(jobs, 1) : 0, `PDF of work order ${id} v${version} (${jobs} render jobs)`);
  }
  return out;
}

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });

/** What is not done yet (empty once everything promised happened, or was found lost for good). */
export function unsettled(o: Outcomes): string[] {
  const left: string[] = [];
  for (const [name, t] of Object.entries({ PDFs: o.pdfs, mails: o.mails, 'finalize audit entries': o.audit, 'bulk items': o.bulkItems, 'work-order PDFs': o.workOrderPdfs })) {
    if (t.lost) left.push(`${t.lost} of ${t.expected} ${name}`);
  }
  if (o.unfinishedRuns) left.push(`${o.unfinishedRuns} bulk run(s) not completed`);
  return left;
}
