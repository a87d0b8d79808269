import { formatAge, reportPdfContent, ReportContentSource, reportPdfKey } from './report-pdf-content';

const source = (): ReportContentSource => ({
  protocol: {
    code: 'P-2026-000123',
    receivedAt: new Date('2026-03-02T10:00:00Z'),
    createdAt: new Date('2026-03-01T09:00:00Z'),
    animalName: 'Firulais',
    species: 'dog',
    breed: null,
    sex: 'male',
    ageMonths: 38,
    ownerName: 'María Gómez',
  },
  clinicName: 'Clínica Norte',
  language: 'es',
  vetName: 'Dra. Ana Norte',
  rows: [
    { code: 'HCT', name: 'Hematocrito', section: 'hemograma', unit: '%', value: '30', flag: 'low', range: { low: 37, high: 55, expected: null } },
    { code: 'GLU', name: 'Glucosa', section: 'bioquimica_serica', unit: 'mg/dL', value: '90,5', flag: 'normal', range: { low: 70.5, high: null, expected: null } },
    { code: 'U-PROT', name: 'Proteínas', section: 'urianalisis', unit: null, value: 'negativo', flag: 'normal', range: { low: null, high: null, expected: 'negativo' } },
    { code: 'ALT', name: 'ALT', section: 'bioquimica_serica', unit: 'U/L', value: '50', flag: 'normal', range: null },
  ],
  observations: null,
  signer: { name: 'Dr. Diego Firmante', signaturePng: Buffer.from([1, 2, 3]) },
  version: 2,
  supersedesVersion: 1,
  finalizedAt: new Date('2026-03-03T12:00:00Z'),
});

describe('reportPdfContent', () => {
  it('groups rows by section in print order with reference texts', () => {
    const c = reportPdfContent(source());
    expect(c.sections.map((s) => [s.title, s.rows.map((r) => r.code)])).toEqual([
      ['hemograma', ['HCT']],
      ['bioquimica_serica', ['GLU', 'ALT']],
      ['urianalisis', ['U-PROT']],
    ]);
    expect(c.sections.flatMap((s) => s.rows.map((r) => r.reference))).toEqual(['37 – 55', '>= 70,5', null, 'negativo']);
    expect(c.language).toBe('es');
  });

  it("writes an English clinic's age and reference ranges in English", () => {
    const c = reportPdfContent({ ...source(), language: 'en' });
    expect(c.language).toBe('en');
    expect(c.animal.age).toBe('3 years 2 months');
    expect(c.sections.flatMap((s) => s.rows.map((r) => r.reference))).toEqual(['37 – 55', '>= 70.5', null, 'negativo']);
  });

  it('carries protocol, animal, signer (base64) and version facts as plain JSON', () => {
    const c = reportPdfContent(source());
    expect(c.protocol).toEqual({ code: 'P-2026-000123', receivedAt: '2026-03-02T10:00:00.000Z', createdAt: '2026-03-01T09:00:00.000Z' });
    expect(c.animal).toEqual({ name: 'Firulais', species: 'dog', breed: null, sex: 'male', age: '3 años y 2 meses' });
    expect(c.signer).toEqual({ name: 'Dr. Diego Firmante', signaturePngBase64: 'AQID' });
    expect([c.version, c.supersedesVersion, c.finalizedAt]).toEqual([2, 1, '2026-03-03T12:00:00.000Z']);
    expect(c.vet).toEqual({ name: 'Dra. Ana Norte' });
  });

  it('formats ages and builds keys from ids only', () => {
    const ages = (language: 'es' | 'en') => [null, 1, 8, 12, 13, 26].map((m) => formatAge(m, language));
    expect(ages('es')).toEqual([null, '1 mes', '8 meses', '1 año', '1 año y 1 mes', '2 años y 2 meses']);
    expect(ages('en')).toEqual([null, '1 month', '8 months', '1 year', '1 year 1 month', '2 years 2 months']);
    expect(reportPdfKey('3f0c', 2)).toBe('reports/3f0c/v2.pdf');
  });
});
