import { reportMail, ReportMailInput, reportPdfFilename, reportVoidPdfFilename } from './report-mail';

const input = (over: Partial<ReportMailInput> = {}): ReportMailInput => ({
  from: 'lab <lab@vetlab.local>',
  to: 'vet@clinic.test',
  messageId: '<m1@vetlab.local>',
  language: 'es',
  protocolCode: 'P-2026-000123',
  animalName: 'Firulais',
  version: 1,
  supersedesVersion: null,
  verificationCode: 'K7Q2-9XRM',
  labName: 'Laboratorio',
  pdf: Buffer.from('%PDF-1.4'),
  ...over,
});

describe('reportMail', () => {
  it('names protocol, animal, version and verification code, with the PDF attached', () => {
    const m = reportMail(input());
    expect(m.subject).toBe('Informe de laboratorio P-2026-000123 — Firulais');
    expect(m.text).toContain('versión 1.');
    expect(m.text).toContain('Código de verificación: K7Q2-9XRM');
    expect(m.text).not.toContain('reemplaza');
    expect(m.messageId).toBe('<m1@vetlab.local>');
    expect(m.attachments).toEqual([{ filename: 'P-2026-000123-v1.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' }]);
  });

  it('says which version an amendment replaces', () => {
    const m = reportMail(input({ version: 2, supersedesVersion: 1 }));
    expect(m.subject).toBe('Informe de laboratorio P-2026-000123 — Firulais (versión 2, reemplaza a la versión 1)');
    expect(m.text).toContain('Esta versión reemplaza a la versión 1');
    expect(m.attachments?.[0].filename).toBe('P-2026-000123-v2.pdf');
  });

  it("speaks an English clinic's language", () => {
    const m = reportMail(input({ language: 'en', version: 2, supersedesVersion: 1 }));
    expect(m.subject).toBe('Laboratory report P-2026-000123 — Firulais (version 2, replaces version 1)');
    expect(m.text).toBe(
      [
        'Dear colleague,',
        '',
        'Please find attached the laboratory report of protocol P-2026-000123 (Firulais), version 2.',
        'This version replaces version 1 sent earlier; please discard that one.',
        'Verification code: K7Q2-9XRM',
        '',
        'Kind regards,',
        'Laboratorio',
        '',
      ].join('\n'),
    );
  });
});

describe('report PDF file names', () => {
  it('names an annulled version in the clinic’s language, beside the version’s own name', () => {
    expect(reportPdfFilename('P-2026-000042', 1)).toBe('P-2026-000042-v1.pdf');
    expect(reportVoidPdfFilename('P-2026-000042', 1, 'es')).toBe('P-2026-000042-v1-anulado.pdf');
    expect(reportVoidPdfFilename('P-2026-000042', 3, 'en')).toBe('P-2026-000042-v3-void.pdf');
  });
});
