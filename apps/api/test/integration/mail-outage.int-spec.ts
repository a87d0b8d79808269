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

/** A compressed schedule: 100 ms doubling to 400 ms apart, given up after 6 s; the sweep every 300 ms. */
const MAIL_ENV = {
  JOB_BACKOFF_MS: '50',
  MAIL_RETRY_MIN_MS: '100',
  MAIL_RETRY_MAX_MS: '400',
  MAIL_GIVE_UP_AFTER_MS: '6000',
  JOB_STRANDED_SWEEP_MS: '300',
};
/** Attempts the old schedule made before failing a mail for good. */
const OLD_ATTEMPTS = 5;

async function finalize(t: TestApp, token: string, reportId: string): Promise<void> {
  const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(token)).send().expect(202)).body as FinalizeAccepted;
  await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(token))).body as JobView).state === 'completed', { what: 'finalize job' });
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
    t = await createTestApp({ SMTP_URL: smtp.url, ...MAIL_ENV });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.admin, tok.vetA, tok.vetB] = await Promise.all([f.signer, f.staff, f.admin, f.vetA, f.vetB].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('SMTP refusing for longer than the old retry window, then accepting: every mail arrives once, a 550 fails only its recipient', async () => {
    await t.em().nativeUpdate(Clinic, { id: f.clinicB.id }, { resultEmails: ['resultados@sur.test', 'rebota@sur.test'] });
    smtp.bounce('rebota@sur.test');
    const a = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    const b = await readyReport(t, f, { vet: tok.vetB, staff: tok.staff });
    smtp.refuseAll(true);
    await Promise.all([finalize(t, tok.signer, a.reportId), finalize(t, tok.signer, b.reportId)]);

    // Past the old window, every row is still waiting for its next attempt.
    const during = await waitUntil(async () => {
      const rows = [...(await rowsOf(t, a.reportId)), ...(await rowsOf(t, b.reportId))];
      return rows.every((r) => r.attempts > OLD_ATTEMPTS) ? rows : null;
    }, { what: `more than ${OLD_ATTEMPTS} attempts of every mail` });
    expect(during).toHaveLength(5);
    expect(during.every((r) => r.status !== 'failed' && r.status !== 'sent')).toBe(true);
    const seen = (await t.http().get(`/api/reports/${a.reportId}/mails`).set(bearer(tok.staff)).expect(200)).body as MailView[];
    expect(seen.map((m) => [m.recipient, m.version])).toEqual([
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
      const rows = [...(await rowsOf(t, a.reportId)), ...(await rowsOf(t, b.reportId))];
      return rows.every((r) => r.status === 'sent' || r.status === 'failed') ? rows : null;
    }, { what: 'every mail sent or failed' });
    await pause(500);
    expect(after.map((r) => [r.recipient, r.status])).toEqual([
      ['resultados@norte.test', 'sent'],
      ['vet.a@norte.test', 'sent'],
      ['rebota@sur.test', 'failed'],
      ['resultados@sur.test', 'sent'],
      ['vet.b@sur.test', 'sent'],
    ]);
    expect(after.find((r) => r.recipient === 'rebota@sur.test')!.lastError).toMatch(/550/);
    for (const [code, address] of [
      [a.protocol.code, 'resultados@norte.test'],
      [a.protocol.code, 'vet.a@norte.test'],
      [b.protocol.code, 'resultados@sur.test'],
      [b.protocol.code, 'vet.b@sur.test'],
    ]) {
      expect(arrived(smtp, code, address)).toHaveLength(1);
    }
    expect(arrived(smtp, b.protocol.code, 'rebota@sur.test')).toHaveLength(0);
  });

  it('a mail refused past MAIL_GIVE_UP_AFTER is failed; staff send it again and it arrives once; a sent mail is refused', async () => {
    const c = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
    smtp.refuseAll(true);
    await finalize(t, tok.signer, c.reportId);
    const failed = await waitUntil(async () => {
      const rows = await rowsOf(t, c.reportId);
      return rows.every((r) => r.status === 'failed') ? rows : null;
    }, { ms: 20_000, what: 'the mails to be given up' });
    smtp.refuseAll(false);
    await pause(1000);
    // Given up means given up: nothing retries it on its own.
    expect((await rowsOf(t, c.reportId)).map((r) => [r.status, r.attempts])).toEqual(failed.map((r) => ['failed', r.attempts]));
    expect(arrived(smtp, c.protocol.code, 'vet.a@norte.test')).toHaveLength(0);
    const shown = (await t.http().get(`/api/reports/${c.reportId}/mails`).set(bearer(tok.admin)).expect(200)).body as MailView[];
    expect(shown.map((m) => [m.status, m.nextAttemptAt])).toEqual([
      ['failed', null],
      ['failed', null],
    ]);
    expect(shown[0].lastError).toMatch(/451/);

    const [, vetRow] = failed;
    const resent = (await t.http().post(`/api/mails/${vetRow.id}/resend`).set(bearer(tok.staff)).expect(200)).body as MailView;
    expect(resent).toMatchObject({ id: vetRow.id, recipient: 'vet.a@norte.test', status: 'pending' });
    await waitUntil(async () => (await t.em().findOneOrFail(OutboxMessage, { id: vetRow.id })).status === 'sent', { what: 'the resent mail' });
    await pause(500);
    expect(arrived(smtp, c.protocol.code, 'vet.a@norte.test')).toHaveLength(1);
    expect(arrived(smtp, c.protocol.code, 'resultados@norte.test')).toHaveLength(0);
    expect((await t.em().findOneOrFail(OutboxMessage, { id: failed[0].id })).status).toBe('failed');

    const audit = await t.em().find(AuditLog, { entity: 'mail', entityId: vetRow.id });
    expect(audit.map((e) => [e.actorId, e.action, e.before?.status, e.after?.status])).toEqual([[f.staff.id, 'mail_resend', 'failed', 'pending']]);

    const again = await t.http().post(`/api/mails/${vetRow.id}/resend`).set(bearer(tok.staff)).expect(409);
    expect(again.body.message).toMatch(/^mail_already_sent: /);
    await pause(300);
    expect(arrived(smtp, c.protocol.code, 'vet.a@norte.test')).toHaveLength(1);
  });

  it('vets may neither see nor resend mails; unknown ids are 404, malformed ones 400', async () => {
    const [row] = await t.em().find(OutboxMessage, {}, { limit: 1 });
    await t.http().get(`/api/reports/${row.subjectId}/mails`).set(bearer(tok.vetA)).expect(403);
    await t.http().post(`/api/mails/${row.id}/resend`).set(bearer(tok.vetA)).expect(403);
    await t.http().get('/api/reports/00000000-0000-4000-8000-000000000000/mails').set(bearer(tok.staff)).expect(404);
    const missing = await t.http().post('/api/mails/00000000-0000-4000-8000-000000000000/resend').set(bearer(tok.staff)).expect(404);
    expect(missing.body.message).toBe('mail not found');
    const bad = await t.http().post('/api/mails/nope/resend').set(bearer(tok.staff)).expect(400);
    expect(bad.body.details).toEqual([{ field: 'param.id', message: 'must be a UUID' }]);
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

describe('report mails whose jobs Redis lost', () => {
  let redis: TestRedis;
  let smtp: TestSmtp;
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    redis = await startRedis({ appendonly: false });
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, REDIS_URL: redis.url, ...MAIL_ENV, MAIL_RETRY_MIN_MS: '1000', MAIL_RETRY_MAX_MS: '1000' });
    f = await seedFixtures(t.em());
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await redis?.close();
  });

  it('a Redis restarted without its data: the sweep queues the mails again and each arrives once', async () => {
    const [vet, staff, signer] = await Promise.all([f.vetA, f.staff, f.signer].map((u) => tokenFor(t, u)));
    const { protocol, reportId } = await readyReport(t, f, { vet, staff });
    smtp.refuseAll(true);
    await finalize(t, signer, reportId);
    await waitUntil(async () => (await rowsOf(t, reportId)).every((r) => r.status === 'pending' && r.attempts >= 1), { what: 'a first refused attempt of every mail' });

    await redis.stop();
    await redis.start();
    smtp.refuseAll(false);
    const rows = await waitUntil(async () => {
      const all = await rowsOf(t, reportId);
      return all.every((r) => r.status === 'sent') ? all : null;
    }, { ms: 30_000, what: 'the mails to be sent after the sweep' });
    await pause(500);
    expect(rows.map((r) => r.recipient)).toEqual(['resultados@norte.test', 'vet.a@norte.test']);
    for (const r of rows) expect(arrived(smtp, protocol.code, r.recipient)).toHaveLength(1);
  });
});
