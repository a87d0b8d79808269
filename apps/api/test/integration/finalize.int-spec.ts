import { AuditAction, FinalizeAccepted, JobView, ReportJobResult, ReportPdfAccepted, ReportVersionView, ReportView } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { JobRecord } from '../../src/jobs/job.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { FinalizeRequestService } from '../../src/reports/finalize/finalize-request.service';
import { ReportVersionsRepository } from '../../src/reports/finalize/report-versions.repository';
import type { AuthUser } from '../../src/auth/auth-user';
import { FILE_STORAGE, FileStorage } from '../../src/storage/file-storage';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, sha256 } from '../support/pdf-http';
import { execFileSync } from 'node:child_process';

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
import { fillDraft, readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { ClientSocket, nextEvent, record, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];
const STAGES = ['loading', 'rendering', 'storing', 'updating_status', 'queuing_email'];

describe('finalizing reports', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const sockets = new SocketPool();
  const tok = { signer: '', staff: '', vetA: '', vetB: '', admin: '' };
  let signerSocket: ClientSocket;
  let vetBSocket: ClientSocket;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.vetB, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.vetB, f.admin].map((u) => tokenFor(t, u)));
    signerSocket = await sockets.connect(t, tok.signer);
    vetBSocket = await sockets.connect(t, tok.vetB);
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
    await smtp?.close();
  });

  const ready = () => readyReport(t, f, { vet: tok.vetA, staff: tok.staff });
  const finalize = (reportId: string, token = tok.signer) => t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(token)).send();
  const job = async (jobId: string, token = tok.signer) => (await t.http().get(`/api/jobs/${jobId}`).set(bearer(token)).expect(200)).body as JobView;
  const settled = (jobId: string) =>
    waitUntil(async () => {
      const j = await job(jobId);
      return j.state === 'completed' || j.state === 'failed' ? j : null;
    }, { what: `job ${jobId} to finish` });
  const report = async (reportId: string, token = tok.staff) => (await t.http().get(`/api/reports/${reportId}`).set(bearer(token)).expect(200)).body as ReportView;
  const mailsOf = (reportId: string, version: number) => t.em().find(OutboxMessage, { subjectId: reportId, version }, { orderBy: { recipient: 'asc' } });

  it('answers 202 at once; the job renders, stores, finalizes, mails once per recipient and says report:ready', async () => {
    const { protocol, reportId } = await ready();
    const progress = record(signerSocket, 'job:progress');
    const completed = nextEvent(signerSocket, 'job:completed', 15_000);
    const readyEvent = nextEvent(signerSocket, 'report:ready', 15_000);
    const foreign = record(vetBSocket, 'report:ready');

    const res = await finalize(reportId).expect(202);
    const accepted = res.body as FinalizeAccepted;
    expect(accepted).toEqual({ jobId: expect.any(String), kind: 'finalize_report', state: 'queued', reportId });

    expect(await readyEvent).toEqual({ reportId, version: 1, protocolId: protocol.id });
    expect((await completed).jobId).toBe(accepted.jobId);
    // Stages close together share one event (the latest; a quick job's last ones come with
    // job:completed): the browser hears stages of the job, in order, each at most once.
    const heard = progress.filter((e) => e.jobId === accepted.jobId && e.stage).map((e) => STAGES.indexOf(e.stage!));
    expect(heard.every((i, n) => i >= 0 && (n === 0 || i > heard[n - 1]))).toBe(true);
    expect(foreign).toEqual([]);

    const view = await job(accepted.jobId);
    expect(view).toMatchObject({ id: accepted.jobId, kind: 'finalize_report', state: 'completed', progress: 100, stage: 'queuing_email', attempts: 1, failedReason: null, subject: { type: 'report', id: reportId } });
    const result = view.result as unknown as ReportJobResult;
    expect(result.stages.map((s) => [s.stage, s.skipped])).toEqual(STAGES.map((s) => [s, false]));
    expect(result).toMatchObject({ reportId, version: 1, mails: 2, verificationCode: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/) });

    const [v1] = (await report(reportId)).versions;
    expect(v1).toMatchObject({ number: 1, status: 'finalized', signer: { id: f.signer.id }, failureReason: null });
    expect(v1.finalizedAt).toEqual(expect.any(String));
    expect((await t.em().findOneOrFail(Protocol, protocol.id)).status).toBe('reported');

    // The PDF: streamed with its SHA-256 as ETag; a matching If-None-Match is a 304.
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`inline; filename="${protocol.code}-v1.pdf"`);
    expect(pdf.headers.etag).toBe(`"${sha256(pdf.body)}"`);
    expect(pdf.headers.etag).toBe(`"${result.sha256}"`);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    // The words on the page, read back with poppler: the animal, the analytes, the page footer and
    // the verification code.
    const text = pdfText(pdf.body);
    expect(text).toContain(protocol.animalName);
    expect(text).toContain('Hematocrito');
    expect(text).toContain('Glucosa');
    expect(text).toMatch(/página 1 de \d+/);
    expect(text).toContain(result.verificationCode);
    const again = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA, { 'If-None-Match': pdf.headers.etag });
    expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, pdf.headers.etag]);
    const stored = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect([stored.pdfKey, stored.pdfSha256, stored.pdfSize]).toEqual([`reports/${reportId}/v1.pdf`, sha256(pdf.body), pdf.body.length]);

    // Exactly one mail per recipient, the PDF attached, a deterministic Message-ID.
    await waitUntil(async () => (await mailsOf(reportId, 1)).every((m) => m.status === 'sent') && (await mailsOf(reportId, 1)).length === 2, { what: 'outbox sent' });
    await new Promise((r) => setTimeout(r, 300));
    const mine = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
    expect(mine.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    const outbox = await mailsOf(reportId, 1);
    for (const m of mine) {
      expect(m.subject).toBe(`Informe de laboratorio ${protocol.code} — Firulais`);
      expect(m.text).toContain(`versión 1`);
      expect(m.text).toContain(result.verificationCode);
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0]).toMatchObject({ filename: `${protocol.code}-v1.pdf`, contentType: 'application/pdf' });
      expect(sha256(m.attachments[0].content)).toBe(result.sha256);
      expect(outbox.map((o) => o.messageId)).toContain(m.messageId);
    }

    const audit = await t.em().find(AuditLog, { jobId: accepted.jobId }, { orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.entity, a.action, a.after?.status])).toEqual(
      expect.arrayContaining([
        ['report', AuditAction.StatusChange, 'finalizing'],
        ['protocol', AuditAction.StatusChange, 'reported'],
        ['report', AuditAction.StatusChange, 'finalized'],
      ]),
    );
  });

  it('a double click or concurrent signers get the same job: one version, one mail per recipient', async () => {
    const { protocol, reportId } = await ready();
    const answers = await Promise.all([finalize(reportId), finalize(reportId), finalize(reportId, tok.admin), finalize(reportId)]);
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const ids = new Set(answers.map((r) => (r.body as FinalizeAccepted).jobId));
    expect(ids.size).toBe(1);
    const [jobId] = ids;
    expect((await settled(jobId)).state).toBe('completed');
    expect(await t.em().count(JobRecord, { subjectId: reportId })).toBe(1);
    expect((await report(reportId)).versions.map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
    await waitUntil(async () => (await mailsOf(reportId, 1)).filter((m) => m.status === 'sent').length === 2, { what: 'mails sent' });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.filter((m) => m.subject?.includes(protocol.code)).flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    // Once it is finalized, the same click is a clear 409.
    const late = await finalize(reportId).expect(409);
    expect(late.body.message).toMatch(/version 1 of this report is already finalized; amend/);
  });

  it('claims made together are answered each on its own: a refusal in the group never touches the others', async () => {
    // Called in one turn of the event loop: on SQLite they share one transaction (a group commit),
    // on PostgreSQL one statement claims the two ready reports and the rest go one by one.
    const [a, b, incomplete] = await Promise.all([ready(), ready(), readyReport(t, f, { vet: tok.vetA, staff: tok.staff }, { fill: false })]);
    const finalizer = t.app.get(FinalizeRequestService);
    const signer: AuthUser = { id: f.signer.id, email: f.signer.email, name: f.signer.name, role: f.signer.role, signer: true, clinicId: null };
    const admin: AuthUser = { id: f.admin.id, email: f.admin.email, name: f.admin.name, role: f.admin.role, signer: false, clinicId: null };
    const outcomes = await Promise.allSettled([
      finalizer.finalize(signer, a.reportId),
      finalizer.finalize(signer, incomplete.reportId),
      finalizer.finalize(signer, '00000000-0000-4000-8000-000000000000'),
      finalizer.finalize(admin, b.reportId),
      finalizer.finalize(admin, a.reportId),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    const [first, refused, unknown, other, again] = outcomes;
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^every result needs a value/) });
    expect((unknown as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const [jobA, jobB, jobA2] = [first, other, again].map((o) => (o as PromiseFulfilledResult<FinalizeAccepted>).value.jobId);
    expect(jobA2).toBe(jobA);
    expect(jobB).not.toBe(jobA);
    expect((await Promise.all([settled(jobA), settled(jobB)])).map((j) => j.state)).toEqual(['completed', 'completed']);
    expect((await report(incomplete.reportId)).versions.map((v) => v.status)).toEqual(['draft']);
    expect(await t.em().count(JobRecord, { subjectId: { $in: [a.reportId, b.reportId, incomplete.reportId] } })).toBe(2);
    // Each claim wrote its own job record and audit entry, in the name of whoever asked first.
    for (const [jobId, reportId, user] of [[jobA, a.reportId, signer], [jobB, b.reportId, admin]] as const) {
      const [version] = (await report(reportId)).versions;
      const job = await t.em().findOneOrFail(JobRecord, jobId);
      expect(job).toMatchObject({ kind: 'finalize_report', subjectType: 'report', subjectId: reportId, createdById: user.id });
      expect(job.payload).toEqual({ reportId, versionId: version.id, version: 1 });
      const audit = await t.em().find(AuditLog, { jobId, action: AuditAction.StatusChange }, { orderBy: { at: 'asc' } });
      expect(audit[0]).toMatchObject({ actorId: user.id, entity: 'report', entityId: reportId });
      expect([audit[0].before, audit[0].after]).toEqual([
        { versionNumber: 1, status: 'draft' },
        { versionNumber: 1, status: 'finalizing' },
      ]);
    }
  });

  it('refuses incomplete drafts, protocols not in analysis, non-signers and unknown reports', async () => {
    const { protocol, reportId } = await readyReport(t, f, { vet: tok.vetA, staff: tok.staff }, { fill: false });
    const incomplete = await finalize(reportId).expect(409);
    expect(incomplete.body.message).toBe('every result needs a value before finalizing; missing: HCT, GLU, ALT, U-PROT');
    await finalize(reportId, tok.staff).expect(403);
    await finalize(reportId, tok.vetA).expect(403);
    await finalize('00000000-0000-4000-8000-000000000000').expect(404);
    const bad = await finalize('nope').expect(400);
    expect(bad.body.details).toEqual([{ field: 'param.id', message: 'must be a UUID', code: 'invalid_format' }]);
    // The route is answered ahead of Express and Nest (hot-routes): the same refusals, in the
    // same ErrorBody shape, as every other route.
    const anonymous = await t.http().post(`/api/reports/${reportId}/finalize`).send().expect(401);
    expect(anonymous.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'missing, invalid or expired access token', code: 'UNAUTHENTICATED' });
    const forbidden = await finalize(reportId, tok.staff).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: 'requires a signer' });
    await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).set('Content-Type', 'application/json').send('{"ignored": true}').expect(409);
    await t.http().get(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).expect(404);

    await fillDraft(t, tok.staff, reportId);
    const em = t.em();
    await em.nativeUpdate(Protocol, { id: protocol.id }, { status: 'received' });
    const notYet = await finalize(reportId).expect(409);
    expect(notYet.body.message).toMatch(/is received; its report can be finalized once the protocol is in analysis/);
    expect((await report(reportId)).versions[0].status).toBe('draft');
    expect(await t.em().count(JobRecord, { subjectId: reportId })).toBe(0);
  });

  it('a draft edit racing the finalize request is refused as stale', async () => {
    const { reportId } = await ready();
    const [draft] = (await report(reportId)).versions;
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    const edit = await t.http().put(`/api/reports/${reportId}/draft`).set(bearer(tok.staff)).send({ lockVersion: draft.lockVersion, observations: 'tarde' });
    expect(edit.status).toBe(409);
    expect((await settled(accepted.jobId)).state).toBe('completed');
  });

  it('amend opens version 2 as a copy; finalizing it supersedes version 1, both stay downloadable, one more mail each', async () => {
    const { protocol, reportId } = await ready();
    const first = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    await settled(first.jobId);
    await waitUntil(async () => (await mailsOf(reportId, 1)).filter((m) => m.status === 'sent').length === 2, { what: 'v1 mails' });
    const before = smtp.mails.length;

    const amended = await t.http().post(`/api/reports/${reportId}/amend`).set(bearer(tok.signer)).send({ reason: 'Se corrige el hematocrito, mal transcrito.' }).expect(201);
    const v2 = amended.body as ReportVersionView;
    const v1 = (await report(reportId)).versions[1];
    expect(v2).toMatchObject({ number: 2, status: 'draft', supersedesNumber: 1, signer: null, finalizedAt: null });
    expect(v2.rows.map((r) => [r.code, r.value, r.flag])).toEqual(v1.rows.map((r) => [r.code, r.value, r.flag]));
    expect(v2.rows.map((r) => r.id)).not.toEqual(v1.rows.map((r) => r.id));
    // Only one open version at a time; and a vet never sees the draft.
    expect((await t.http().post(`/api/reports/${reportId}/amend`).set(bearer(tok.signer)).send({ reason: 'Se corrige el hematocrito, mal transcrito.' }).expect(409)).body.message).toMatch(/version 2 is still draft/);
    expect((await report(reportId, tok.vetA)).versions.map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
    await t.http().post(`/api/reports/${reportId}/amend`).set(bearer(tok.staff)).send({ reason: 'Se corrige el hematocrito, mal transcrito.' }).expect(403);

    await t.http().put(`/api/reports/${reportId}/draft`).set(bearer(tok.staff)).send({ lockVersion: v2.lockVersion, results: [{ rowId: v2.rows[0].id, value: '41' }] }).expect(200);
    const readyEvent = nextEvent(signerSocket, 'report:ready', 15_000);
    const second = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    expect(second.jobId).not.toBe(first.jobId);
    expect(await readyEvent).toEqual({ reportId, version: 2, protocolId: protocol.id });
    await settled(second.jobId);

    expect((await report(reportId, tok.vetA)).versions.map((v) => [v.number, v.status, v.supersedesNumber])).toEqual([
      [2, 'finalized', 1],
      [1, 'superseded', null],
    ]);
    const latest = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    const byNumber = await Promise.all([1, 2].map((n) => getRaw(t, `/api/reports/${reportId}/versions/${n}/pdf`, tok.vetA)));
    expect([latest.status, ...byNumber.map((r) => r.status)]).toEqual([200, 200, 200]);
    expect(latest.headers.etag).toBe(byNumber[1].headers.etag);
    expect(byNumber[0].headers.etag).not.toBe(byNumber[1].headers.etag);
    expect(byNumber[0].headers['content-disposition']).toBe(`inline; filename="${protocol.code}-v1.pdf"`);
    expect((await getRaw(t, `/api/reports/${reportId}/versions/3/pdf`, tok.staff)).status).toBe(404);
    expect((await getRaw(t, `/api/reports/${reportId}/versions/x/pdf`, tok.staff)).status).toBe(400);

    await waitUntil(async () => (await mailsOf(reportId, 2)).filter((m) => m.status === 'sent').length === 2, { what: 'v2 mails' });
    await new Promise((r) => setTimeout(r, 300));
    const added = smtp.mails.slice(before).filter((m) => m.subject?.includes(protocol.code));
    expect(added.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    for (const m of added) {
      expect(m.subject).toBe(`Informe de laboratorio ${protocol.code} — Firulais (versión 2, reemplaza a la versión 1)`);
      expect(m.text).toContain('Esta versión reemplaza a la versión 1');
      expect(m.attachments[0].filename).toBe(`${protocol.code}-v2.pdf`);
    }
  });

  it('vets read their own clinic’s PDFs and jobs; another clinic’s are not found', async () => {
    const { reportId } = await ready();
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    await settled(accepted.jobId);
    expect((await job(accepted.jobId, tok.vetA)).state).toBe('completed');
    await t.http().get(`/api/jobs/${accepted.jobId}`).set(bearer(tok.vetB)).expect(404);
    expect((await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetB)).status).toBe(404);
    expect((await getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.vetB)).status).toBe(404);
    expect((await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA)).status).toBe(200);
    // A draft has no PDF for anyone.
    const { reportId: draftOnly } = await ready();
    expect((await getRaw(t, `/api/reports/${draftOnly}/pdf`, tok.staff)).status).toBe(404);
    expect((await getRaw(t, `/api/reports/${draftOnly}/versions/1/pdf`, tok.vetA)).status).toBe(404);
  });

  it('a finalized version without its file is rendered again: 202 with one job, then 200 with the file', async () => {
    const { protocol, reportId } = await ready();
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    await settled(accepted.jobId);
    // As seeded data is: finalized, no file, no checksum.
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    await t.app.get<FileStorage>(FILE_STORAGE).remove(v.pdfKey!);
    await t.em().nativeUpdate(ReportVersion, { id: v.id }, { pdfKey: null, pdfSha256: null, pdfSize: null });

    const [a, b] = await Promise.all([getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA), getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.staff)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const body = a.json<ReportPdfAccepted>();
    expect(body).toEqual({ jobId: expect.any(String), kind: 'report_pdf', state: 'queued', reportId, version: 1 });
    expect(b.json<ReportPdfAccepted>().jobId).toBe(body.jobId);

    const done = await waitUntil(async () => {
      const j = await job(body.jobId, tok.vetA);
      return j.state === 'completed' ? j : null;
    }, { what: 'render job' });
    expect((done.result as unknown as ReportJobResult).stages.map((s) => s.stage)).toEqual(['loading', 'rendering', 'storing']);
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.etag).toBe(`"${sha256(pdf.body)}"`);
    expect(pdf.headers['content-disposition']).toBe(`inline; filename="${protocol.code}-v1.pdf"`);
    const after = await t.em().findOneOrFail(ReportVersion, { id: v.id });
    expect([after.status, after.verificationCode, after.finalizedAt?.toISOString()]).toEqual(['finalized', v.verificationCode, v.finalizedAt?.toISOString()]);
  });

  it('an open that read the version just before its render job stored the file starts no second render', async () => {
    const { reportId } = await ready();
    const accepted = (await finalize(reportId).expect(202)).body as FinalizeAccepted;
    await settled(accepted.jobId);
    const v = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    await t.app.get<FileStorage>(FILE_STORAGE).remove(v.pdfKey!);
    await t.em().nativeUpdate(ReportVersion, { id: v.id }, { pdfKey: null, pdfSha256: null, pdfSize: null });
    const opened = await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA);
    expect(opened.status).toBe(202);
    const { jobId } = opened.json<ReportPdfAccepted>();
    // What a second open read before that job stored the file: no file, the job in the render slot.
    const seen = await t.em().findOneOrFail(ReportVersion, { id: v.id });
    expect([seen.renderJobId, seen.pdfKey]).toEqual([jobId, null]);
    await waitUntil(async () => (await job(jobId, tok.vetA)).state === 'completed' || null, { what: 'render job' });

    // It then finds the job finished and asks for the slot: refused, since the file is there now.
    expect(await t.app.get(ReportVersionsRepository).claimRenderJob(t.em(), seen, '00000000-0000-4000-8000-00000000b0b2')).toBe(false);
    const after = await t.em().findOneOrFail(ReportVersion, { id: v.id });
    expect([after.renderJobId, after.pdfKey]).toEqual([jobId, v.pdfKey]);
    expect((await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA)).status).toBe(200);
    expect(await t.em().count(JobRecord, { subjectId: reportId, kind: 'report_pdf' })).toBe(1);
    // A file lost again is rendered again from what a caller reads now.
    expect(await t.app.get(ReportVersionsRepository).claimRenderJob(t.em(), after, '00000000-0000-4000-8000-00000000b0b3')).toBe(true);
  });
});
