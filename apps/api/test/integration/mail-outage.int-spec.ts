import { FinalizeAccepted, JobView, MailView } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Clinic } from '../../src/clinics/clinic.entity';
import { MailDeliveryService } from '../../src/mail/mail-delivery.service';
import { MailRetryLater } from '../../src/mail/mail-schedule';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { OutboxService } from '../../src/mail/outbox.service';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { startRedis, TestRedis } from '../support/redis-server';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A compressed schedule: 100 ms doubling to 400 ms apart; the sweep every 300 ms. */
const MAIL_ENV = { JOB_BACKOFF_MS: '50', MAIL_RETRY_MIN_MS: '100', MAIL_RETRY_MAX_MS: '400', JOB_STRANDED_SWEEP_MS: '300' };
/** Attempts the old schedule made before failing a mail for good. */
const OLD_ATTEMPTS = 5;

async function finalize(t: TestApp, token: string, reportId: string): Promise<void> {
  const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(token)).send().expect(202)).body as FinalizeAccepted;
  await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(token))).body as JobView).state === 'completed', { ms: 45_000, what: 'finalize job' });
}

const rowsOf = (t: TestApp, reportId: string) => t.em().find(OutboxMessage, { subjectId: reportId }, { orderBy: { recipient: 'asc' } });

/** Mails of one protocol that reached the server, by recipient. */
const arrived = (smtp: TestSmtp, code: string, address: string) => smtp.to(address).filter((m) => m.subject?.includes(code));

describe('report mails through an SMTP outage', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', admin: '', vetA: '', vetB: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, ...MAIL_ENV, MAIL_GIVE_UP_AFTER_MS: '120000' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.admin, tok.vetA, tok.vetB] = await Promise.all([f.signer, f.staff, f.admin, f.vetA, f.vetB].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('SMTP refusing for longer than the old retry window, then accepting: every mail arrives once, a 550 fails only its recipient', async () => {
    await t.em().nativeUpdate(Clinic, { id: f.clinicA.id }, { resultEmails: ['resultados@norte.test', 'rebota@norte.test'] });
    smtp.bounce('rebota@norte.test');
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    smtp.refuseAll(true);
    await finalize(t, tok.signer, reportId);

    // Past the old window, every row is still waiting for its next attempt.
    const during = await waitUntil(async () => {
      const rows = await rowsOf(t, reportId);
      return rows.every((r) => r.attempts > OLD_ATTEMPTS) ? rows : null;
    }, { what: `more than ${OLD_ATTEMPTS} attempts of every mail` });
    expect(during.map((r) => r.status).filter((s) => s !== 'pending' && s !== 'sending')).toEqual([]);
    const seen = (await t.http().get(`/api/reports/${reportId}/mails`).set(bearer(tok.staff)).expect(200)).body as MailView[];
    expect(seen.map((m) => [m.recipient, m.version])).toEqual([
      ['rebota@norte.test', 1],
      ['resultados@norte.test', 1],
      ['vet.a@norte.test', 1],
    ]);
    for (const m of seen) {
      expect(['pending', 'sending']).toContain(m.status);
      expect(m.lastError).toMatch(/451/);
      expect(m.nextAttemptAt).not.toBeNull();
      expect(m.sentAt).toBeNull();
    }
    expect(smtp.mails).toHaveLength(0);

    smtp.refuseAll(false);
    const after = await waitUntil(async () => {
      const rows = await rowsOf(t, reportId);
      return rows.every((r) => r.status === 'sent' || r.status === 'failed') ? rows : null;
    }, { what: 'every mail sent or failed' });
    await pause(500);
    expect(after.map((r) => [r.recipient, r.status])).toEqual([
      ['rebota@norte.test', 'failed'],
      ['resultados@norte.test', 'sent'],
      ['vet.a@norte.test', 'sent'],
    ]);
    expect(after[0].lastError).toMatch(/550/);
    expect(arrived(smtp, protocol.code, 'resultados@norte.test')).toHaveLength(1);
    expect(arrived(smtp, protocol.code, 'vet.a@norte.test')).toHaveLength(1);
    expect(arrived(smtp, protocol.code, 'rebota@norte.test')).toHaveLength(0);
    // Settled for good: nothing tries them again.
    expect((await rowsOf(t, reportId)).map((r) => [r.status, r.attempts])).toEqual(after.map((r) => [r.status, r.attempts]));
  }, 60_000);

  it('vets may neither see nor resend mails; unknown ids are 404, malformed ones 400', async () => {
    const [row] = await t.em().find(OutboxMessage, {}, { limit: 1 });
    await t.http().get(`/api/reports/${row.subjectId}/mails`).set(bearer(tok.vetA)).expect(403);
    await t.http().post(`/api/mails/${row.id}/resend`).set(bearer(tok.vetA)).expect(403);
    await t.http().get('/api/reports/00000000-0000-4000-8000-000000000000/mails').set(bearer(tok.staff)).expect(404);
    const missing = await t.http().post('/api/mails/00000000-0000-4000-8000-000000000000/resend').set(bearer(tok.signer)).expect(404);
    expect(missing.body.message).toBe('mail not found');
    const bad = await t.http().post('/api/mails/nope/resend').set(bearer(tok.signer)).expect(400);
    expect(bad.body.details).toEqual([{ field: 'param.id', message: 'must be a UUID', code: 'invalid_format' }]);
  });

  it('two deliveries of the same mail at once (and its own job) send it once', async () => {
    const [row] = await t.em().find(OutboxMessage, { recipient: 'vet.a@norte.test', status: 'sent' }, { limit: 1 });
    smtp.slow(800);
    try {
      const before = smtp.mails.length;
      const delivery = t.app.get(MailDeliveryService);
      await t.app.get(OutboxService).queueReportVersion(t.em(), { reportId: row.subjectId, version: row.version, recipients: ['segunda@norte.test'] });
      const added = await t.em().findOneOrFail(OutboxMessage, { subjectId: row.subjectId, version: row.version, recipient: 'segunda@norte.test' });
      const results = await Promise.allSettled([delivery.deliver(added.id), delivery.deliver(added.id)]);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(MailRetryLater);
      }
      expect(results.filter((r) => r.status === 'fulfilled' && r.value.sent)).not.toHaveLength(2);
      await waitUntil(async () => (await t.em().findOneOrFail(OutboxMessage, { id: added.id })).status === 'sent', { what: 'the added mail' });
      await pause(1500);
      expect(smtp.mails.slice(before).filter((m) => m.messageId === added.messageId)).toHaveLength(1);
      expect((await t.em().findOneOrFail(OutboxMessage, { id: added.id })).attempts).toBe(1);
    } finally {
      smtp.slow(0);
    }
  });
});

describe('report mails whose jobs Redis lost, and mails given up', () => {
  let redis: TestRedis;
  let smtp: TestSmtp;
  let t: TestApp;
  let f: Fixtures;
  const tok = { signer: '', staff: '', admin: '', vetA: '' };
  let report: { reportId: string; code: string };

  beforeAll(async () => {
    redis = await startRedis({ appendonly: false });
    smtp = await startSmtp();
    // Retries 1 s apart, so a retry is still waiting in Redis when Redis goes; given up after 8 s.
    t = await createTestApp({ SMTP_URL: smtp.url, REDIS_URL: redis.url, ...MAIL_ENV, MAIL_RETRY_MIN_MS: '1000', MAIL_RETRY_MAX_MS: '1000', MAIL_GIVE_UP_AFTER_MS: '8000' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.admin, tok.vetA] = await Promise.all([f.signer, f.staff, f.admin, f.vetA].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await redis?.close();
  });

  it('a Redis restarted without its data: the sweep queues the mails again and each arrives once', async () => {
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    report = { reportId, code: protocol.code };
    smtp.refuseAll(true);
    await finalize(t, tok.signer, reportId);
    await waitUntil(async () => (await rowsOf(t, reportId)).every((r) => r.status === 'pending' && r.attempts >= 1), { what: 'a first refused attempt of every mail' });

    await redis.stop();
    await redis.start();
    smtp.refuseAll(false);
    const rows = await waitUntil(async () => {
      const all = await rowsOf(t, reportId);
      return all.every((r) => r.status === 'sent') ? all : null;
    }, { what: 'the mails to be sent after the sweep' });
    await pause(500);
    expect(rows.map((r) => r.recipient)).toEqual(['resultados@norte.test', 'vet.a@norte.test']);
    for (const r of rows) expect(arrived(smtp, protocol.code, r.recipient)).toHaveLength(1);
  }, 60_000);

  it('a mail refused past MAIL_GIVE_UP_AFTER is failed; a signer sends it again and it arrives once; a sent mail is refused', async () => {
    smtp.refuseAll(true);
    await t.app.get(OutboxService).queueReportVersion(t.em(), { reportId: report.reportId, version: 1, recipients: ['tarde@norte.test', 'nunca@norte.test'] });
    const failed = await waitUntil(async () => {
      const rows = (await rowsOf(t, report.reportId)).filter((r) => r.status !== 'sent');
      return rows.length === 2 && rows.every((r) => r.status === 'failed') ? rows : null;
    }, { ms: 20_000, what: 'the mails to be given up' });
    expect(failed.map((r) => r.recipient)).toEqual(['nunca@norte.test', 'tarde@norte.test']);
    expect(failed.every((r) => r.attempts > 1 && /451/.test(r.lastError ?? ''))).toBe(true);
    smtp.refuseAll(false);
    await pause(1500);
    // Given up means given up: nothing tries it again on its own.
    expect((await rowsOf(t, report.reportId)).filter((r) => r.status === 'failed').map((r) => r.attempts)).toEqual(failed.map((r) => r.attempts));
    expect(arrived(smtp, report.code, 'tarde@norte.test')).toHaveLength(0);
    const shown = (await t.http().get(`/api/reports/${report.reportId}/mails`).set(bearer(tok.admin)).expect(200)).body as MailView[];
    expect(shown.map((m) => [m.recipient, m.status, m.nextAttemptAt === null])).toEqual([
      ['nunca@norte.test', 'failed', true],
      ['resultados@norte.test', 'sent', true],
      ['tarde@norte.test', 'failed', true],
      ['vet.a@norte.test', 'sent', true],
    ]);

    const row = failed[1];
    const resent = (await t.http().post(`/api/mails/${row.id}/resend`).set(bearer(tok.signer)).expect(200)).body as MailView;
    expect(resent).toMatchObject({ id: row.id, recipient: 'tarde@norte.test', status: 'pending' });
    await waitUntil(async () => (await t.em().findOneOrFail(OutboxMessage, { id: row.id })).status === 'sent', { what: 'the resent mail' });
    await pause(500);
    expect(arrived(smtp, report.code, 'tarde@norte.test')).toHaveLength(1);
    expect(arrived(smtp, report.code, 'nunca@norte.test')).toHaveLength(0);
    expect((await t.em().findOneOrFail(OutboxMessage, { id: failed[0].id })).status).toBe('failed');

    const audit = await t.em().find(AuditLog, { entity: 'mail', entityId: row.id });
    expect(audit.map((e) => [e.actorId, e.action, e.before?.status, e.after?.status])).toEqual([[f.signer.id, 'mail_resend', 'failed', 'pending']]);

    const again = await t.http().post(`/api/mails/${row.id}/resend`).set(bearer(tok.signer)).expect(409);
    expect(again.body.code).toBe('MAIL_ALREADY_SENT');
    await pause(300);
    expect(arrived(smtp, report.code, 'tarde@norte.test')).toHaveLength(1);
  }, 60_000);
});
