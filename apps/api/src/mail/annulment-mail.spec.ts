import { annulmentMail, AnnulmentMailInput } from './annulment-mail';

const input = (over: Partial<AnnulmentMailInput> = {}): AnnulmentMailInput => ({
  from: 'lab <lab@vetlab.local>',
  to: 'vet@clinic.test',
  messageId: '<m1@vetlab.local>',
  language: 'es',
  protocolCode: 'P-2026-000123',
  animalName: 'Firulais',
  version: 2,
  annulledAt: new Date('2026-12-02T10:00:00Z'),
  reason: 'Muestra de otro paciente.',
  labName: 'Laboratorio',
  pdf: Buffer.from('%PDF-1.4'),
  ...over,
});

describe('annulmentMail', () => {
  it('tells, in Spanish for a Spanish clinic, which version was annulled, when and why, with the stamped PDF', () => {
    const m = annulmentMail(input());
    expect(m.subject).toBe('Informe anulado P-2026-000123 — Firulais (versión 2)');
    expect(m.text).toContain('la versión 2 del informe de laboratorio del protocolo P-2026-000123 (Firulais) ha sido anulada el 02/12/2026');
    expect(m.text).toContain('Motivo: Muestra de otro paciente.');
    expect(m.attachments).toEqual([{ filename: 'P-2026-000123-v2-anulado.pdf', content: Buffer.from('%PDF-1.4'), contentType: 'application/pdf' }]);
  });

  it('speaks English to a clinic whose reports are in English', () => {
    const m = annulmentMail(input({ language: 'en', reason: 'Wrong patient.' }));
    expect(m.subject).toBe('Report annulled P-2026-000123 — Firulais (version 2)');
    expect(m.text).toContain('Version 2 of the laboratory report for protocol P-2026-000123 (Firulais) was annulled on');
    expect(m.text).toContain('Reason: Wrong patient.');
    expect(m.attachments).toEqual([expect.objectContaining({ filename: 'P-2026-000123-v2-void.pdf' })]);
  });
});
