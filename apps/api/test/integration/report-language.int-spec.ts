import { ClinicView, FinalizeAccepted, JobView } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { Clinic } from '../../src/clinics/clinic.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw } from '../support/pdf-http';
import { readyReport } from '../support/reports';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

/** A finalize renders, stores and mails: on a busy 2-core machine that may take a while. */
const SLOW = 60_000;

const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

/**
 * A clinic's report language: an English clinic's report PDF, work-order PDF and mails are in
 * English (words, dates, decimal marks, plurals), a Spanish clinic's stay as they were.
 */
describe("the clinic's report language", () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  const tok = { signer: '', staff: '', vetA: '', vetB: '', admin: '' };

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp({ SMTP_URL: smtp.url, JOB_BACKOFF_MS: '50', MAIL_RETRY_MIN_MS: '50' });
    f = await seedFixtures(t.em());
    // Clínica Sur reads English.
    await t.em().nativeUpdate(Clinic, { id: f.clinicB.id }, { reportLanguage: 'en' });
    [tok.signer, tok.staff, tok.vetA, tok.vetB, tok.admin] = await Promise.all([f.signer, f.staff, f.vetA, f.vetB, f.admin].map((u) => tokenFor(t, u)));
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  /** Finalizes through HTTP; the PDF's text and the mails that reached the SMTP server. */
  async function finalized(vet: string) {
    const { protocol, reportId } = await readyReport(t, f, { vet, staff: tok.staff });
    const { jobId } = (await t.http().post(`/api/reports/${reportId}/finalize`).set(bearer(tok.signer)).send().expect(202)).body as FinalizeAccepted;
    await waitUntil(async () => ((await t.http().get(`/api/jobs/${jobId}`).set(bearer(tok.signer))).body as JobView).state === 'completed', { what: 'finalize job', ms: SLOW });
    const rows = await waitUntil(async () => {
      const r = await t.em().find(OutboxMessage, { subjectId: reportId });
      return r.length && r.every((m) => m.status === 'sent') ? r : null;
    }, { what: 'the report mails', ms: SLOW });
    const mails = await waitUntil(async () => {
      const got = smtp.mails.filter((m) => m.subject?.includes(protocol.code));
      return got.length === rows.length ? got : null;
    }, { what: 'the mails at the SMTP server', ms: SLOW });
    const pdf = await getRaw(t, `/api/reports/${reportId}/pdf`, vet);
    expect(pdf.status).toBe(200);
    return { protocol, text: pdfText(pdf.body), mails };
  }

  async function workOrderText(workOrderId: string, vet: string): Promise<string> {
    const res = await waitUntil(async () => {
      const r = await getRaw(t, `/api/work-orders/${workOrderId}/pdf`, vet);
      if (r.status !== 200 && r.status !== 202) throw new Error(`unexpected ${r.status}: ${r.body.toString()}`);
      return r.status === 200 ? r : null;
    }, { what: 'the work-order PDF', every: 50, ms: SLOW });
    return pdfText(res.body);
  }

  it('lists each clinic with its report language', async () => {
    const clinics = (await t.http().get('/api/clinics').set(bearer(tok.admin)).expect(200)).body as ClinicView[];
    expect(clinics.map((c) => [c.name, c.reportLanguage])).toEqual([
      ['Clínica Norte', 'es'],
      ['Clínica Sur', 'en'],
    ]);
    const own = (await t.http().get('/api/clinics').set(bearer(tok.vetB)).expect(200)).body as ClinicView[];
    expect(own).toEqual([{ id: f.clinicB.id, name: 'Clínica Sur', resultEmails: ['resultados@sur.test'], reportLanguage: 'en', address: null, phone: null }]);
  });

  it("an English clinic's report PDF, work-order PDF and mails are in English", async () => {
    const { protocol, text, mails } = await finalized(tok.vetB);
    for (const words of ['LABORATORY REPORT', 'Received', 'Owner', 'Veterinarian', 'Species', 'Dog', 'Male', '3 years', 'Haematology',
      'Serum biochemistry', 'Urinalysis', 'Reference interval', 'Verification code', 'Report validated electronically by Dr. Diego Firmante on',
      'Validated by', 'page 1 of 1', 'Issued on', 'Version 1', 'low', 'high']) {
      expect([words, text.includes(words)]).toEqual([words, true]);
    }
    // Dates as "02 Dec 2026", the fixture's 50,5 stays as typed, reference decimals with a point.
    expect(text).toMatch(/Issued on \d{2} [A-Z][a-z]{2} \d{4}/);
    for (const spanish of ['INFORME', 'Especie', 'Perro', 'página', 'Valores de referencia', 'Hemograma', 'Emitido', 'alto', 'bajo']) {
      expect([spanish, text.includes(spanish)]).toEqual([spanish, false]);
    }

    expect(mails.map((m) => m.subject)).toEqual(Array(mails.length).fill(`Laboratory report ${protocol.code} — Firulais`));
    for (const m of mails) {
      expect(m.text).toContain('Dear colleague,');
      expect(m.text).toContain(`Please find attached the laboratory report of protocol ${protocol.code} (Firulais), version 1.`);
      expect(m.text).toMatch(/Verification code: \S+/);
      expect(m.text).toContain('Kind regards,');
      expect(m.text).not.toMatch(/Estimado|Adjuntamos|Código/);
    }

    const wo = await workOrderText(protocol.workOrderId, tok.vetB);
    for (const words of ['WORK ORDER', `Protocol ${protocol.code}`, 'Owner', 'Priority', 'Routine', 'Samples', '1 × Whole blood', '1 × Serum',
      'Requested tests (4)', 'Sample: 1 ml of EDTA whole blood', 'Haematology (1)', 'page 1 of 1', 'Work order · Protocol']) {
      expect([words, wo.includes(words)]).toEqual([words, true]);
    }
    expect(wo).not.toMatch(/ORDEN DE TRABAJO|Análisis solicitados|Muestra:|página/);
  }, 3 * SLOW);

  it("a Spanish clinic's documents and mails are unchanged", async () => {
    const { protocol, text, mails } = await finalized(tok.vetA);
    for (const words of ['INFORME DE RESULTADOS', 'Propietario', 'Especie', 'Perro', 'Macho', '3 años', 'Hemograma', 'Valores de referencia', 'página 1 de 1', 'Emitido el', 'Versión 1', 'bajo', 'alto']) {
      expect([words, text.includes(words)]).toEqual([words, true]);
    }
    expect(text).toMatch(/Emitido el \d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toMatch(/LABORATORY|Species|Reference interval/);
    expect(mails.map((m) => m.subject)).toEqual(Array(mails.length).fill(`Informe de laboratorio ${protocol.code} — Firulais`));
    for (const m of mails) expect(m.text).toContain('Estimado/a colega:');

    const wo = await workOrderText(protocol.workOrderId, tok.vetA);
    for (const words of ['ORDEN DE TRABAJO', `Protocolo ${protocol.code}`, 'Análisis solicitados (4)', 'Muestra: 1 ml de sangre entera con EDTA', 'página 1 de 1']) {
      expect([words, wo.includes(words)]).toEqual([words, true]);
    }
  }, 3 * SLOW);
});
