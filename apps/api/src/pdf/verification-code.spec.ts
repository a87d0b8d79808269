import { ResultFlag } from '@vetlab/shared';
import type { ReportPdfData } from './report-pdf-data';
import { ReportPdfContent, canonicalJson, normalizeVerificationCode, verificationCode, withVerificationCode } from './verification-code';
import { sampleReportWithRows } from './sample-report';

const content = (): ReportPdfContent => ({
  language: 'es',
  lab: { name: 'Lab', address: 'Calle 1', phone: '1', email: 'a@b.c' },
  protocol: { code: 'P-1', receivedAt: '2025-01-02T10:00:00.000Z', createdAt: '2025-01-01T10:00:00.000Z' },
  clinic: { name: 'Clínica' },
  vet: { name: 'Vet' },
  animal: { name: 'Toby', species: 'dog', breed: null, sex: 'male', age: '3 años' },
  owner: { name: 'Ana' },
  sections: [
    {
      title: 'hemograma',
      rows: [
        { code: 'HTO', name: 'Hematocrito', value: '40', unit: '%', reference: '37 – 55', flag: ResultFlag.Normal },
        { code: 'HB', name: 'Hemoglobina', value: '10', unit: 'g/dL', reference: '12 – 18', flag: ResultFlag.Low },
      ],
    },
  ],
  observations: null,
  signer: { name: 'Firmante', signaturePngBase64: null },
  version: 1,
  supersedesVersion: null,
  finalizedAt: '2025-01-03T10:00:00.000Z',
});

/** Every leaf path of an object, with a setter that changes that value. */
function leaves(o: unknown, path: string[] = []): string[][] {
  if (o === null || typeof o !== 'object') return [path];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, [...path, k]));
}
function mutate(o: ReportPdfContent, path: string[]): ReportPdfContent {
  const copy = structuredClone(o) as unknown as Record<string, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = path[path.length - 1];
  const v = node[last];
  node[last] = typeof v === 'number' ? v + 1 : v === null ? 'x' : `${String(v)}x`;
  return copy as unknown as ReportPdfContent;
}

describe('verificationCode', () => {
  it('is 16 Crockford base32 characters (80 bits) as XXXX-XXXX-XXXX-XXXX', () => {
    expect(verificationCode(content())).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('starts with the 10 characters of the former 50-bit code of the same content', () => {
    // The first 50 bits of the same digest: a code printed before the longer ones is its prefix.
    const code = verificationCode(content());
    expect(code.replace(/-/g, '')).toHaveLength(16);
    expect(normalizeVerificationCode(code.replace(/-/g, '').slice(0, 10))).toBe(code.slice(0, 12));
  });

  it('is deterministic and ignores key order, the code and its URL', () => {
    const a = content();
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as ReportPdfContent;
    reordered.animal = { sex: 'male', age: '3 años', breed: null, species: 'dog', name: 'Toby' };
    expect(verificationCode(reordered)).toBe(verificationCode(a));
    const withCode: ReportPdfData = { ...a, verificationCode: 'ANYTHING', verificationUrl: 'https://anywhere.example/verificar/ANYTHING' };
    expect(verificationCode(withCode)).toBe(verificationCode(a));
    expect(withVerificationCode(a, 'https://lab.example').verificationCode).toBe(verificationCode(a));
  });

  it('changes when any content value changes', () => {
    const base = content();
    const code = verificationCode(base);
    const paths = leaves(base);
    expect(paths.length).toBeGreaterThan(25);
    for (const path of paths) {
      expect([path.join('.'), verificationCode(mutate(base, path))]).not.toEqual([path.join('.'), code]);
    }
  });

  it('changes with row order (order is content)', () => {
    const a = content();
    const b = content();
    b.sections[0].rows.reverse();
    expect(verificationCode(b)).not.toBe(verificationCode(a));
  });
});

describe('normalizeVerificationCode', () => {
  it('accepts any case, dashes or spaces, and reads O as 0 and I, L as 1', () => {
    expect(normalizeVerificationCode('abcd-efgh-jkmn-pqrs')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalizeVerificationCode(' ABCDEFGHJKMNPQRS ')).toBe('ABCD-EFGH-JKMN-PQRS');
    expect(normalizeVerificationCode('oil0 1234 5678 9ABC')).toBe('0110-1234-5678-9ABC');
  });

  it('keeps the former 10-character codes (XXXX-XXXX-XX)', () => {
    expect(normalizeVerificationCode('k7q29xrm4t')).toBe('K7Q2-9XRM-4T');
  });

  it('is null for anything that cannot be a code', () => {
    for (const bad of ['', 'ABCD', 'ABCD-EFGH-JKMN-PQR', 'ABCD-EFGH-JKMN-PQRST', 'ABCD-EFGH-JKMN-PQRU', 'ABCD-EFGH-JKMN-PQR*', 'x'.repeat(1000)]) {
      expect([bad, normalizeVerificationCode(bad)]).toEqual([bad, null]);
    }
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps arrays in order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'é' }, u: undefined })).toBe('{"a":{"c":"é","d":[2,{"y":null,"z":1}]},"b":1}');
  });
});

describe('the code of an annulled version', () => {
  it('ignores the ANULADO / VOID stamp: the stamped PDF prints the original’s code', () => {
    const data = withVerificationCode(sampleReportWithRows(4, 'void-code'), 'https://lab.example');
    expect(verificationCode({ ...data, annulment: { at: '2026-12-02T10:00:00.000Z', reason: 'Muestra de otro paciente.' } })).toBe(data.verificationCode);
  });
});
