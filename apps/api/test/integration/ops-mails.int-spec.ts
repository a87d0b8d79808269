import { BulkAccepted, ErrorBody, FinalizeAccepted, JobView, MailView, OpsBatchResult, OpsMailPage, OpsMailRow, UnavailableCode } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { OutboxKind, OutboxMessage } from '../../src/mail/outbox.entity';
import { bulkDigestMessageId } from '../../src/mail/outbox.service';
import { bearer, tokenFor } from '../support/auth';
import { insertProtocols, runOver } from '../support/bulk';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { startRedis, TestRedis } from '../support/redis-server';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/**
 * The console's mail log over a real SMTP server: mails refused until given up show as failed with
 * the server's reason; sent again once the server accepts, each arrives once and shows its answer.
 */
describe('ops mail log', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { admin: '', signer: '', staff: '', vetA: '' };
  const report = { a: { id: '', protocolId: '', code: '' }, b: { id: '', protocolId: '', code: '' } };
  let bulkId = '';

  beforeAll(async () => {
    smtp = await startSmtp();
    // Refused mails are retried 100 ms apart and given up after 1.5 s.
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50', MAIL_RETRY_MIN_MS: '100', MAIL_RETRY_MAX_MS: '300', MAIL_GIVE_UP_AFTER_MS: '1500' });
    f = await seedFixtures(t.em());
    [tok.admin, tok.signer, tok.staff, tok.vetA] = await Promise.all([f.admin, f.signer, f.staff, f.vetA].map((u) => tokenFor(t, u)));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const log = async (query = '', token = tok.admin) => (await t.http().get(`/api/ops/mails${query}`).set(bearer(token)).expect(200)).body as OpsMailPage;
  const allFailed = (where: object, n: number) =>
    waitUntil(async () => {
      const rows = await t.em().find(OutboxMessage, where);
      return rows.length === n && rows.every((r) => r.status === 'failed') ? rows : null;
    }, { ms: 30_000, what: `${n} mails given up` });

  async function finalized(vet: string): Promise<{ id: string; protocolId: string; code: string }> {
    const { protocol, reportId } = await readyReport(t, f, { vet, staff: tok.staff });
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer))).body as JobView).state === 'completed', { ms: 45_000, what: 'finalize job' });
    return { id: reportId, protocolId: protocol.id, code: protocol.code };
  }

  it('SMTP refusing: every mail (report versions of two clinics, a bulk run’s digests) is listed as failed with the reason, newest first', async () => {
    smtp.refuseAll(true);
    const vetB = await tokenFor(t, f.vetB);
    report.a = await finalized(tok.vetA);
    await allFailed({ subjectId: report.a.id }, 2);
    report.b = await finalized(vetB);
    await allFailed({ subjectId: report.b.id }, 2);
    const ids = await insertProtocols(t, 2, { clinics: [f.clinicA, f.clinicB], createdBy: f.vetA });
    ({ bulkId } = (await t.http().post('/api/protocols/bulk').set(bearer(tok.admin)).send({ action: 'receive', ids }).expect(202)).body as BulkAccepted);
    const run = await runOver(t, bulkId);
    await allFailed({ kind: 'bulk_digest' }, 2);

    const page = await log();
    expect(page.total).toBe(6);
    expect(page.items).toHaveLength(6);
    const times = page.items.map((m) => m.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    for (const m of page.items) {
      expect(m).toMatchObject({ status: 'failed', sentAt: null, nextAttemptAt: null, serverResponse: null, resendable: true });
      expect(m.lastError).toMatch(/451/);
      expect(m.attempts).toBeGreaterThanOrEqual(1);
    }
    const rowsOf = (p: OpsMailPage) => p.items.map((m) => [m.recipient, m.clinic?.name, m.label, m.link, m.reportId, m.version]).sort();
    const digest = `Resumen del lote #${run.number}`;
    expect(rowsOf(page)).toEqual(
      [
        ['resultados@norte.test', 'Clínica Norte', `Informe de ${report.a.code} v1`, `/protocols/${report.a.protocolId}`, report.a.id, 1],
        ['vet.a@norte.test', 'Clínica Norte', `Informe de ${report.a.code} v1`, `/protocols/${report.a.protocolId}`, report.a.id, 1],
        ['resultados@sur.test', 'Clínica Sur', `Informe de ${report.b.code} v1`, `/protocols/${report.b.protocolId}`, report.b.id, 1],
        ['vet.b@sur.test', 'Clínica Sur', `Informe de ${report.b.code} v1`, `/protocols/${report.b.protocolId}`, report.b.id, 1],
        ['resultados@norte.test', 'Clínica Norte', digest, `/bulk/${bulkId}`, null, run.number],
        ['resultados@sur.test', 'Clínica Sur', digest, `/bulk/${bulkId}`, null, run.number],
      ].sort(),
    );
    const stored = await t.em().find(OutboxMessage, {});
    expect(page.items.map((m) => m.messageId).sort()).toEqual(stored.map((r) => r.messageId).sort());
    expect(smtp.mails).toHaveLength(0);
  }, 120_000);

  it('filters by clinic (its report mails and its digests), status and report; pages with an exact total', async () => {
    const norte = await log(`?clinicId=${f.clinicA.id}`);
    expect(norte.total).toBe(3);
    expect(norte.items.every((m) => m.clinic?.id === f.clinicA.id)).toBe(true);
    expect(norte.items.map((m) => m.kind).sort()).toEqual(['bulk_digest', 'report_version', 'report_version']);
    expect((await log(`?reportId=${report.b.id}`)).items.map((m) => m.recipient).sort()).toEqual(['resultados@sur.test', 'vet.b@sur.test']);
    expect((await log(`?reportId=${report.b.id}&clinicId=${f.clinicA.id}`)).total).toBe(0);
    expect((await log('?status=failed')).total).toBe(6);
    expect(await log('?status=sent')).toEqual({ items: [], total: 0, page: 1, pageSize: 25 });

    const all = await log();
    const pages = await Promise.all([1, 2, 3].map((p) => log(`?page=${p}&pageSize=2`)));
    expect(pages.map((p) => [p.total, p.page, p.pageSize, p.items.length])).toEqual([[6, 1, 2, 2], [6, 2, 2, 2], [6, 3, 2, 2]]);
    expect(pages.flatMap((p) => p.items.map((m) => m.id))).toEqual(all.items.map((m) => m.id));
    expect((await log('?page=4&pageSize=2')).items).toEqual([]);

    const bad = await t.http().get('/api/ops/mails?status=lost&clinicId=x').set(bearer(tok.admin)).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['query.clinicId', 'query.status']);
  });

  it('admins only: staff 403, vets 404, no token 401 — for the log and for resend-failed', async () => {
    const body = { clinicId: f.clinicA.id };
    await t.http().get('/api/ops/mails').set(bearer(tok.staff)).expect(403);
    await t.http().get('/api/ops/mails').set(bearer(tok.signer)).expect(403);
    const hidden = await t.http().get('/api/ops/mails').set(bearer(tok.vetA)).expect(404);
    expect(hidden.body).toMatchObject({ statusCode: 404, message: 'not found' });
    await t.http().get('/api/ops/mails').expect(401);
    await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.staff)).send(body).expect(403);
    await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.vetA)).send(body).expect(404);
    await t.http().post('/api/ops/mails/resend-failed').send(body).expect(401);
    // Nothing was sent again by the refused calls.
    expect((await log('?status=failed')).total).toBe(6);
    expect(await t.em().count(AuditLog, { action: 'mail_resend' })).toBe(0);
  });

  it('report page: staff read the mails; a staff member who is not a signer may not send one again (403), a signer may', async () => {
    const shown = (await t.http().get(`/api/reports/${report.b.id}/mails`).set(bearer(tok.staff)).expect(200)).body as MailView[];
    expect(shown.map((m) => [m.recipient, m.status, m.serverResponse])).toEqual([
      ['resultados@sur.test', 'failed', null],
      ['vet.b@sur.test', 'failed', null],
    ]);
    const target = shown[1];
    const refused = await t.http().post(`/api/mails/${target.id}/resend`).set(bearer(tok.staff)).expect(403);
    expect(refused.body.message).toBe('requires a signer');
    expect((await t.em().findOneOrFail(OutboxMessage, { id: target.id })).status).toBe('failed');

    smtp.refuseAll(false);
    const resent = (await t.http().post(`/api/mails/${target.id}/resend`).set(bearer(tok.signer)).expect(200)).body as MailView;
    expect(resent).toMatchObject({ id: target.id, status: 'pending', messageId: target.messageId });
    const sent = await waitUntil(async () => {
      const row = await t.em().findOneOrFail(OutboxMessage, { id: target.id });
      return row.status === 'sent' ? row : null;
    }, { what: 'the mail a signer sent again' });
    await pause(300);
    expect(smtp.mails.filter((m) => m.messageId === target.messageId)).toHaveLength(1);
    const after = (await t.http().get(`/api/reports/${report.b.id}/mails`).set(bearer(tok.staff)).expect(200)).body as MailView[];
    expect(after.find((m) => m.id === target.id)).toMatchObject({ status: 'sent', serverResponse: sent.serverResponse, messageId: target.messageId });
    expect(sent.serverResponse).toMatch(/^250\b/);
    const audit = await t.em().find(AuditLog, { entity: 'mail', entityId: target.id });
    expect(audit.map((e) => [e.actorId, e.action])).toEqual([[f.signer.id, 'mail_resend']]);
  }, 60_000);

  it('resend-failed for a clinic: each of its failed mails is sent once, audited once; the other clinic keeps its own', async () => {
    const failedNorte = await t.em().find(OutboxMessage, { status: 'failed', recipient: { $like: '%@norte.test' } });
    expect(failedNorte).toHaveLength(3);
    const before = smtp.mails.length;
    const res = (await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.admin)).send({ clinicId: f.clinicA.id }).expect(200)).body as OpsBatchResult;
    expect(res).toEqual({ count: 3 });

    const norte = await waitUntil(async () => {
      const p = await log(`?clinicId=${f.clinicA.id}`);
      return p.items.every((m) => m.status === 'sent') ? p : null;
    }, { what: "Clínica Norte's mails sent" });
    await pause(500);
    const arrived = smtp.mails.slice(before);
    for (const m of norte.items) {
      expect(arrived.filter((a) => a.messageId === m.messageId)).toHaveLength(1);
      expect(m).toMatchObject<Partial<OpsMailRow>>({ status: 'sent', lastError: null, resendable: false, nextAttemptAt: null });
      expect(m.serverResponse).toMatch(/^250\b/);
      expect(m.sentAt).not.toBeNull();
    }
    expect(arrived).toHaveLength(3);

    const audit = await t.em().find(AuditLog, { entity: 'mail', entityId: { $in: failedNorte.map((r) => r.id) } });
    expect(audit.map((e) => [e.entityId, e.actorId, e.action, e.before?.status, e.after?.status]).sort()).toEqual(
      failedNorte.map((r) => [r.id, f.admin.id, 'mail_resend', 'failed', 'pending']).sort(),
    );
    // Clínica Sur's failed mails stay failed: not its clinic.
    expect((await log(`?clinicId=${f.clinicB.id}&status=failed`)).items.map((m) => [m.recipient, m.kind]).sort()).toEqual([
      ['resultados@sur.test', 'bulk_digest'],
      ['resultados@sur.test', 'report_version'],
    ]);

    // Nothing failed any more: count 0, nothing sent, nothing audited.
    const again = (await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.admin)).send({ clinicId: f.clinicA.id }).expect(200)).body as OpsBatchResult;
    expect(again).toEqual({ count: 0 });
    await pause(300);
    expect(smtp.mails.length).toBe(before + 3);
    expect(await t.em().count(AuditLog, { action: 'mail_resend' })).toBe(4);
  }, 60_000);

  it('resend-failed: unknown clinic 404, malformed body 400', async () => {
    const missing = await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.admin)).send({ clinicId: UNKNOWN }).expect(404);
    expect(missing.body.message).toBe('clinic not found');
    const bad = await t.http().post('/api/ops/mails/resend-failed').set(bearer(tok.admin)).send({ clinicId: 'nope' }).expect(400);
    expect(bad.body.details).toEqual([{ field: 'body.clinicId', message: 'must be a UUID', code: 'invalid_format' }]);
  });
});

describe('ops mail resend with Redis away', () => {
  let redis: TestRedis;
  let t: TestApp;
  let f: Fixtures;
  let admin = '';
  const ids = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    redis = await startRedis();
    t = await createTestApp({ REDIS_URL: redis.url, JOB_BACKOFF_MS: '50' });
    f = await seedFixtures(t.em());
    admin = await tokenFor(t, f.admin);
    // Two digests of a run long gone, given up: what the console would offer to send again.
    const at = new Date();
    await t.em().insertMany(
      OutboxMessage,
      ['resultados@norte.test', 'otra@norte.test'].map((recipient, i) => ({
        id: ids[i],
        kind: OutboxKind.BulkDigest,
        subjectType: 'clinic',
        subjectId: f.clinicA.id,
        version: 999,
        recipient,
        messageId: bulkDigestMessageId(f.clinicA.id, 999, recipient),
        status: 'failed' as const,
        attempts: 3,
        lastError: '451 try again later',
        nextAttemptAt: at,
        createdAt: at,
      })),
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await redis?.close();
  });

  it('answers 503 QUEUE_UNAVAILABLE and changes nothing; once Redis is back the same call resends both', async () => {
    await redis.stop();
    const down = await waitUntil(async () => {
      const res = await t.http().post('/api/ops/mails/resend-failed').set(bearer(admin)).send({ clinicId: f.clinicA.id });
      return res.status === 503 ? res : null;
    }, { what: 'resend-failed refused with Redis stopped' });
    expect((down.body as ErrorBody).code).toBe(UnavailableCode.Queue);
    const one = await t.http().post(`/api/mails/${ids[0]}/resend`).set(bearer(admin)).expect(503);
    expect((one.body as ErrorBody).code).toBe(UnavailableCode.Queue);
    expect((await t.em().find(OutboxMessage, { id: { $in: ids } })).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(await t.em().count(AuditLog, { action: 'mail_resend' })).toBe(0);

    await redis.start();
    const up = await waitUntil(async () => {
      const res = await t.http().post('/api/ops/mails/resend-failed').set(bearer(admin)).send({ clinicId: f.clinicA.id });
      return res.status === 200 ? (res.body as OpsBatchResult) : null;
    }, { what: 'resend-failed once Redis is back' });
    expect(up).toEqual({ count: 2 });
    expect((await t.em().find(AuditLog, { action: 'mail_resend' })).map((e) => e.entityId).sort()).toEqual([...ids].sort());
  }, 60_000);
});
