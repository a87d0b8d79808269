import { AnnulReportVersionAccepted, AuditAction, NoticeKind, FinalizeAccepted, JobView, ReportJobResult, ReportVersionView, ReportView } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { AuditLog } from '../../src/audit/audit-log.entity';
import type { JobContext } from '../../src/jobs/jobs.service';
import { Notice } from '../../src/notices/notice.entity';
import { OutboxKind, OutboxMessage } from '../../src/mail/outbox.entity';
import { ReportPipelineService } from '../../src/reports/finalize/report-pipeline.service';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw, RawResponse, sha256 } from '../support/pdf-http';
import { fillDraft, readyReport } from '../support/reports';
import { recipientsOf, startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** Text per page, in drawing order (-raw), so the stamp over a table reads as one line. */
const pagesOf = (pdf: Buffer): string[] =>
  execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf, encoding: 'utf8' })
    .split('\f')
    .filter((p) => p.trim());
/** The text as one line: a long reason wraps inside its box. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

const RECIPIENTS = ['resultados@norte.test', 'vet.a@norte.test'];
const AMEND_REASON = 'La glucosa se transcribió mal desde el analizador; el valor correcto es 98.';
const ANNUL_REASON = 'La muestra pertenecía a otro paciente: el tubo se etiquetó mal en recepción.';

// The first finalize waits for the render threads' warm-up, which takes long on a busy machine.
jest.setTimeout(120_000);

describe('a report’s life: correct (amend with a reason) and annul', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vetA: '', vetB: '', admin: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50' });
    f = await seedFixtures(t.em());
    [tok.signer, tok.staff, tok.vetA, tok.vetB, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.vetB, f.admin].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const job = async (jobId: string) => (await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer)).expect(200)).body as JobView;
  const settled = (jobId: string) =>
    waitUntil(
      async () => {
        const j = await job(jobId);
        return j.state === 'completed' || j.state === 'failed' ? j : null;
      },
      // The first render waits for the render threads' warm-up, slow on a busy machine.
      { what: `job ${jobId} to finish`, ms: 60_000 },
    );
  const report = async (reportId: string, token = tok.staff) => (await t.http().get(`/api/reports/${reportId}`).set(bearer(token)).expect(200)).body as ReportView;
  const finalized = async (token = tok.vetA) => {
    const r = await readyReport(t, f, { vet: token, staff: tok.staff });
    const accepted = (await t.http().post(`/api/reports/${r.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    expect((await settled(accepted.jobId)).state).toBe('completed');
    return r;
  };
  const amend = (reportId: string, body: unknown, token = tok.signer) => t.http().post(`/api/reports/${reportId}/amend`).set(bearer(token)).send(body as object);
  const annul = (reportId: string, n: number | string, body: unknown, token = tok.signer) =>
    t.http().post(`/api/reports/${reportId}/versions/${n}/annul`).set(bearer(token)).send(body as object);
  const auditOf = (reportId: string, action: AuditAction) => t.em().find(AuditLog, { entity: 'report', entityId: reportId, action });
  /** The PDF once rendered: a 202 (the render job) is waited out, like the SPA's viewer does. */
  const pdfOf = async (path: string, token: string): Promise<RawResponse> =>
    waitUntil(async () => {
      const res = await getRaw(t, path, token);
      return res.status === 202 ? null : res;
    }, { what: `${path} rendered`, ms: 60_000 });

  it('amend needs a reason of 10 to 500 characters: 400 naming `reason`', async () => {
    const { reportId } = await finalized();
    for (const body of [{}, { reason: '' }, { reason: 'corto' }, { reason: '   muy corto  ' }, { reason: 'x'.repeat(501) }, { reason: 42 }]) {
      const res = await amend(reportId, body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('body.reason');
    }
    expect((await amend(reportId, { reason: AMEND_REASON, extra: true }).expect(400)).body.details).toBeDefined();
    // Nothing was opened by the refusals.
    expect((await report(reportId)).versions.map((v) => [v.number, v.status])).toEqual([[1, 'finalized']]);
    // Staff who do not sign, and vets, may not amend.
    await amend(reportId, { reason: AMEND_REASON }, tok.staff).expect(403);
    await amend(reportId, { reason: AMEND_REASON }, tok.vetA).expect(403);
  });

  it('an amendment keeps its reason: on the draft, in the audit, and printed on the finalized PDF with the version it replaces', async () => {
    const { reportId } = await finalized();
    const v2 = (await amend(reportId, { reason: `  ${AMEND_REASON}  ` }).expect(201)).body as ReportVersionView;
    expect(v2).toMatchObject({ number: 2, status: 'draft', supersedesNumber: 1, amendReason: AMEND_REASON });
    const [entry] = await auditOf(reportId, AuditAction.Amend);
    expect(entry).toMatchObject({ actorId: f.signer.id, after: { versionNumber: 2, supersedesNumber: 1, reason: AMEND_REASON } });
    // Only one open version at a time.
    expect((await amend(reportId, { reason: AMEND_REASON }).expect(409)).body).toMatchObject({ code: 'REPORT_NOT_AMENDABLE' });

    await fillDraft(t, tok.staff, reportId, { HCT: '31', GLU: '98', ALT: '50', 'U-PROT': 'negativo' });
    const second = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    expect((await settled(second.jobId)).state).toBe('completed');

    const seen = await report(reportId, tok.vetA);
    expect(seen.versions.map((v) => [v.number, v.status, v.supersedesNumber, v.supersededByNumber, v.amendReason])).toEqual([
      [2, 'finalized', 1, null, AMEND_REASON],
      [1, 'superseded', null, 2, null],
    ]);
    const v2pdf = await pdfOf(`/api/reports/${reportId}/versions/2/pdf`, tok.vetA);
    expect(v2pdf.status).toBe(200);
    expect(flat(pagesOf(v2pdf.body).join(' '))).toContain(`Reemplaza a la versión 1. Motivo: ${AMEND_REASON}`);
    // The old version stays downloadable, without the note.
    const v1pdf = await pdfOf(`/api/reports/${reportId}/versions/1/pdf`, tok.vetA);
    expect(v1pdf.status).toBe(200);
    expect(flat(pagesOf(v1pdf.body).join(' '))).not.toContain('Motivo');
  });

  it('annul: 202, the version invalidated with date, signer and reason, audited; the download becomes the VOID PDF on every page', async () => {
    const { protocol, reportId } = await finalized();
    const original = await pdfOf(`/api/reports/${reportId}/versions/1/pdf`, tok.vetA);
    expect(original.status).toBe(200);

    // Refusals first: 400 naming the field, signers only, unknown ids.
    expect((await annul(reportId, 1, { reason: 'corto' }).expect(400)).body.details[0].field).toBe('body.reason');
    expect((await annul(reportId, 1, { reason: ANNUL_REASON, retest: 'yes' }).expect(400)).body.details[0].field).toBe('body.retest');
    await annul(reportId, 1, { reason: ANNUL_REASON }, tok.staff).expect(403);
    await annul(reportId, 1, { reason: ANNUL_REASON }, tok.vetA).expect(403);
    await annul(reportId, 2, { reason: ANNUL_REASON }).expect(404);
    await annul('00000000-0000-4000-8000-000000000000', 1, { reason: ANNUL_REASON }).expect(404);
    expect((await annul(reportId, 'x', { reason: ANNUL_REASON }).expect(400)).body.details[0].field).toBe('param.n');

    const accepted = (await annul(reportId, 1, { reason: ANNUL_REASON }).expect(202)).body as AnnulReportVersionAccepted;
    expect(accepted).toMatchObject({ jobId: expect.any(String), kind: 'report_pdf', reportId, retestVersion: null });
    expect(accepted.version).toMatchObject({ number: 1, status: 'invalidated', invalidationReason: ANNUL_REASON, invalidatedBy: { id: f.signer.id } });
    // A second annulment (and one racing it) is refused with its code.
    expect((await annul(reportId, 1, { reason: ANNUL_REASON }).expect(409)).body).toMatchObject({ code: 'REPORT_VERSION_ALREADY_ANNULLED' });

    const [entry] = await auditOf(reportId, AuditAction.Annul);
    expect(entry).toMatchObject({
      actorId: f.signer.id,
      jobId: accepted.jobId,
      before: { versionNumber: 1, status: 'finalized' },
      after: { versionNumber: 1, status: 'invalidated', reason: ANNUL_REASON, retestVersion: null },
    });

    // The clinic's vet has an in-app notice with the reason; the other clinic's vet has none.
    const notices = await t.em().find(Notice, { reportId, kind: NoticeKind.ReportAnnulled });
    expect(notices.map((n) => [n.userId, n.versionNumber, n.reason])).toEqual([[f.vetA.id, 1, ANNUL_REASON]]);

    // The vet still sees it, annulled, with when and why.
    const [seen] = (await report(reportId, tok.vetA)).versions;
    expect(seen).toMatchObject({ number: 1, status: 'invalidated', invalidationReason: ANNUL_REASON, invalidatedBy: { id: f.signer.id, name: f.signer.name } });
    expect(seen.invalidatedAt).toEqual(expect.any(String));

    // The download: the render job's 202 (or the stamped file once it ran), never the original bytes.
    const first = await getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.vetA);
    if (first.status === 202) expect(first.json()).toMatchObject({ jobId: accepted.jobId, kind: 'report_pdf', reportId, version: 1 });
    else expect(first.headers.etag).not.toBe(original.headers.etag);
    const result = (await settled(accepted.jobId)).result as unknown as ReportJobResult;
    const stamped = await pdfOf(`/api/reports/${reportId}/versions/1/pdf`, tok.vetA);
    expect(stamped.status).toBe(200);
    expect(stamped.headers.etag).toBe(`"${sha256(stamped.body)}"`);
    expect(stamped.headers.etag).toBe(`"${result.sha256}"`);
    expect(stamped.headers.etag).not.toBe(original.headers.etag);
    expect(stamped.headers['content-disposition']).toBe(`inline; filename="${protocol.code}-v1-anulado.pdf"`);
    const pages = pagesOf(stamped.body);
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      expect(page).toContain('ANULADO / VOID');
      expect(flat(page)).toContain(`Motivo: ${ANNUL_REASON}`);
    }
    // Same content, same verification code as the original.
    const stored = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    expect(flat(pages.join(' '))).toContain(stored.verificationCode!);
    expect(stored.voidPdfKey).toBe(`reports/${reportId}/v1-void.pdf`);
    expect(stored.pdfKey).toBe(`reports/${reportId}/v1.pdf`);
    const again = await getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.vetA, { 'If-None-Match': stamped.headers.etag });
    expect(again.status).toBe(304);
    // The latest-finalized route has nothing to serve now; another clinic's vet finds nothing at all.
    expect((await getRaw(t, `/api/reports/${reportId}/pdf`, tok.vetA)).status).toBe(404);
    expect((await getRaw(t, `/api/reports/${reportId}/versions/1/pdf`, tok.vetB)).status).toBe(404);
    await t.http().get(`/api/reports/${reportId}`).set(bearer(tok.vetB)).expect(404);
  });

  it('the clinic gets exactly one annulment mail per recipient, even when the annulment’s job runs twice', async () => {
    const { protocol, reportId } = await finalized();
    const accepted = (await annul(reportId, 1, { reason: ANNUL_REASON }).expect(202)).body as AnnulReportVersionAccepted;
    expect((await settled(accepted.jobId)).state).toBe('completed');
    const annulMails = () => t.em().find(OutboxMessage, { subjectId: reportId, kind: OutboxKind.ReportAnnulled }, { orderBy: { recipient: 'asc' } });
    await waitUntil(async () => (await annulMails()).filter((m) => m.status === 'sent').length === 2, { what: 'annulment mails sent' });

    // The job again, as a retry or a second worker would run it: it renders, stores and mails nothing new.
    const stage = async () => undefined;
    const ctx: JobContext = { jobId: accepted.jobId, attempt: 2, lastAttempt: false, createdById: f.signer.id, stage };
    const rerun = await t.app.get(ReportPipelineService).renderPdf({ reportId, versionId: accepted.version.id, version: 1 }, ctx);
    expect(rerun.stages.filter((s) => s.skipped).map((s) => s.stage)).toEqual(['rendering', 'storing']);
    expect(rerun.mails).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    expect((await annulMails()).map((m) => [m.recipient, m.status, m.attempts])).toEqual(RECIPIENTS.map((r) => [r, 'sent', 1]));

    const received = smtp.mails.filter((m) => m.subject?.startsWith(`Informe anulado ${protocol.code}`));
    expect(received.flatMap(recipientsOf).sort()).toEqual(RECIPIENTS);
    const stored = await t.em().findOneOrFail(ReportVersion, { report: reportId, number: 1 });
    for (const m of received) {
      expect(m.subject).toBe(`Informe anulado ${protocol.code} — Firulais (versión 1)`);
      expect(m.text).toContain(`Motivo: ${ANNUL_REASON}`);
      expect(m.attachments).toHaveLength(1);
      expect(m.attachments[0].filename).toBe(`${protocol.code}-v1-anulado.pdf`);
      expect(sha256(m.attachments[0].content)).toBe(stored.voidPdfSha256);
    }
    // The lab sees them on the report's page.
    const mails = (await t.http().get(`/api/reports/${reportId}/mails`).set(bearer(tok.signer)).expect(200)).body as { kind: string; version: number }[];
    expect(mails.filter((m) => m.kind === 'report_annulled').map((m) => m.version)).toEqual([1, 1]);
  });

  it('annul with retest opens the next draft from the annulled version; a draft, a superseded-then-annulled and an amended report', async () => {
    const { reportId } = await finalized();
    // A draft (version 2 of an amended report) cannot be annulled; the finalized one under it cannot retest.
    await amend(reportId, { reason: AMEND_REASON }).expect(201);
    expect((await annul(reportId, 2, { reason: ANNUL_REASON }).expect(409)).body).toMatchObject({ code: 'REPORT_VERSION_NOT_ANNULLABLE' });
    expect((await annul(reportId, 1, { reason: ANNUL_REASON, retest: true }).expect(409)).body).toMatchObject({ code: 'REPORT_NOT_AMENDABLE' });

    const other = await finalized();
    const accepted = (await annul(other.reportId, 1, { reason: ANNUL_REASON, retest: true }).expect(202)).body as AnnulReportVersionAccepted;
    expect(accepted.retestVersion).toBe(2);
    const [draft, annulled] = (await report(other.reportId)).versions;
    expect(draft).toMatchObject({ number: 2, status: 'draft', supersedesNumber: 1, amendReason: ANNUL_REASON });
    expect(draft.rows.map((r) => [r.code, r.value])).toEqual(annulled.rows.map((r) => [r.code, r.value]));
    expect(annulled).toMatchObject({ number: 1, status: 'invalidated' });
    // The vet never sees the draft; the annulled version stays theirs to download.
    expect((await report(other.reportId, tok.vetA)).versions.map((v) => [v.number, v.status])).toEqual([[1, 'invalidated']]);
    await settled(accepted.jobId);

    // The retest finalized: version 1 stays annulled (not superseded), version 2 says what it replaces and why.
    const fin = (await t.http().post(`/api/reports/${other.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    expect((await settled(fin.jobId)).state).toBe('completed');
    expect((await report(other.reportId, tok.vetA)).versions.map((v) => [v.number, v.status])).toEqual([
      [2, 'finalized'],
      [1, 'invalidated'],
    ]);
    const latest = await pdfOf(`/api/reports/${other.reportId}/pdf`, tok.vetA);
    expect(flat(pagesOf(latest.body).join(' '))).toContain(`Reemplaza a la versión 1. Motivo: ${ANNUL_REASON}`);

    // A superseded version can be annulled too.
    const third = await finalized();
    await amend(third.reportId, { reason: AMEND_REASON }).expect(201);
    const fin3 = (await t.http().post(`/api/reports/${third.reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await settled(fin3.jobId);
    const a3 = (await annul(third.reportId, 1, { reason: ANNUL_REASON }).expect(202)).body as AnnulReportVersionAccepted;
    expect(a3.version.status).toBe('invalidated');
    expect((await annul(third.reportId, 1, { reason: ANNUL_REASON }).expect(409)).body.code).toBe('REPORT_VERSION_ALREADY_ANNULLED');
  });
});
