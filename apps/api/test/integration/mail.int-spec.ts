import { getQueueToken } from '@nestjs/bull';
import { FinalizeAccepted, JobView, MailView, QueueName } from '@vetlab/shared';
import type { Queue } from 'bull';
import { simpleParser } from 'mailparser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Clinic } from '../../src/clinics/clinic.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { OutboxService } from '../../src/mail/outbox.service';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { sha256 } from '../support/pdf-http';
import { readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Finalizes through HTTP and waits for the job and for every outbox row to leave `pending`. */
async function finalizeAndMail(t: TestApp, token: string, reportId: string): Promise<OutboxMessage[]> {
  const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(token)).send().expect(202)).body as FinalizeAccepted;
  await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(token))).body as JobView).state === 'completed', { what: 'finalize job' });
  return waitUntil(async () => {
    const rows = await t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });
    return rows.length && rows.every((r) => r.status === 'sent' || r.status === 'failed') ? rows : null;
  }, { what: 'outbox rows to be sent' });
}

describe('report e-mails through SMTP', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vetA: '', vetB: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50', MAIL_RETRY_MIN_MS: '50' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.vetB] = await Promise.all([f.signer, f.staff, f.vetA, f.vetB].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  let first: { reportId: string; code: string };

  it('SMTP refusing the first attempts: retried with backoff, exactly one mail per recipient in the end, version finalized', async () => {
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    first = { reportId, code: protocol.code };
    smtp.refuseNext(2);
    const rows = await finalizeAndMail(t, tok.signer, reportId);
    expect(rows.map((r) => [r.recipient, r.status])).toEqual([
      ['resultados@norte.test', 'sent'],
      ['vet.a@norte.test', 'sent'],
    ]);
    expect(smtp.refused()).toBe(2);
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(4);
    await pause(300);
    const mine = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    expect(mine.flatMap(recipientsOf).sort()).toEqual(['resultados@norte.test', 'vet.a@norte.test']);
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect(v.status).toBe('finalized');
    expect(mine.map((m) => m.messageId).sort()).toEqual(rows.map((r) => r.messageId).sort());
    expect(mine.every((m) => sha256(m.attachments[0].content) === v.pdfSha256)).toBe(true);
    // The server's answer is kept as the proof the message left, and shown with its Message-ID.
    const shown = (await t.http().get(`/api/reports/${reportId}/mails`).set(bearer(tok.staff)).expect(200)).body as MailView[];
    expect(shown.map((m) => [m.recipient, m.messageId])).toEqual(rows.map((r) => [r.recipient, r.messageId]));
    for (const m of shown) expect(m.serverResponse).toMatch(/^250\b/);
  });

  it('a sent message is never sent again, whether the outbox is written again or its job delivered again', async () => {
    const before = smtp.mails.length;
    const v = await t.em().findOneOrFail(ReportVersion, { report: first.reportId, number: 1 });
    expect(await t.app.get(OutboxService).queueReportVersion(t.em(), { reportId: first.reportId, version: 1, recipients: ['resultados@norte.test', 'VET.A@norte.test ', 'resultados@norte.test'] })).toBe(2);
    // Forget the finished Bull jobs, so that adding the same ids makes real new jobs.
    const mailQueue = t.app.get<Queue>(getQueueToken(QueueName.Mail));
    await mailQueue.clean(0, 'completed');
    const rows = await t.em().find(OutboxMessage, { subjectId: first.reportId });
    await t.app.get(OutboxService).send(rows.map((r) => r.id));
    const results = await waitUntil(async () => {
      const jobs = await Promise.all(rows.map((r) => mailQueue.getJob(r.id)));
      return jobs.every((j) => j?.finishedOn) ? jobs.map((j) => j!.returnvalue) : null;
    }, { what: 'redelivered mail jobs' });
    expect(results).toEqual(rows.map((r) => ({ outboxId: r.id, sent: false })));
    await pause(200);
    expect(smtp.mails.length).toBe(before);
    expect(await t.em().count(OutboxMessage, { subjectId: first.reportId })).toBe(2);
    expect(v.status).toBe('finalized');
  });

  it('a recipient the server refuses for good (550) is failed after one attempt; the others get theirs', async () => {
    await t.em().nativeUpdate(Clinic, { id: f.clinicB.id }, { resultEmails: ['resultados@sur.test', 'rebota@sur.test'] });
    smtp.bounce('rebota@sur.test');
    const { reportId } = await readyReport(t, f, { vet: tok.vetB, staff: tok.staff });
    const rows = await finalizeAndMail(t, tok.signer, reportId);
    expect(rows.map((r) => [r.recipient, r.status, r.attempts])).toEqual([
      ['rebota@sur.test', 'failed', 1],
      ['resultados@sur.test', 'sent', 1],
      ['vet.b@sur.test', 'sent', 1],
    ]);
    expect(rows[0].lastError).toMatch(/550/);
  });
});

describe('report e-mails without SMTP_URL', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await createTestApp({ JOB_BACKOFF_MS: '50' });
    f = await seedFixtures(t.em());
  });
  afterAll(() => t?.close());

  it('writes each mail as <outbox>/<id>.eml, a complete message with the PDF attached', async () => {
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    const rows = await finalizeAndMail(t, signer, reportId);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const dir = t.config.mail.outboxDir;
    expect(readdirSync(dir).sort()).toEqual(rows.map((r) => `${r.id}.eml`).sort());
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    for (const row of rows) {
      const mail = await simpleParser(readFileSync(join(dir, `${row.id}.eml`)));
      expect(recipientsOf(mail)).toEqual([row.recipient]);
      expect(mail.subject).toBe(`Informe de laboratorio ${protocol.code} — Firulais`);
      expect(mail.messageId).toBe(row.messageId);
      // No machine path in what the mail log shows.
      expect(row.serverResponse).toBe(`written to ${row.id}.eml`);
      expect(mail.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)])).toEqual([[`${protocol.code}-v1.pdf`, 'application/pdf', v.pdfSha256]]);
    }
  });
});
