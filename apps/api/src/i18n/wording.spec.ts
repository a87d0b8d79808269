import { ReportLanguage, Section } from '@vetlab/shared';
import { formatsFor, label, WORDING, wordingFor } from './wording';

/** Every leaf path of a catalogue entry, functions included. */
function paths(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? paths(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('the documents wording catalogue', () => {
  it('has every entry in every report language, none empty', () => {
    const languages = Object.values(ReportLanguage);
    expect(Object.keys(WORDING).sort()).toEqual([...languages].sort());
    const expected = paths(WORDING.es).sort();
    for (const lang of languages) {
      expect(paths(WORDING[lang]).sort()).toEqual(expected);
      for (const p of paths(WORDING[lang])) {
        const v = p.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], WORDING[lang]);
        if (typeof v === 'string') expect([lang, p, v.length > 0 || p === 'doc.continued']).toEqual([lang, p, true]);
      }
    }
    for (const s of Object.values(Section)) expect(WORDING.en.sections[s]).toBeTruthy();
  });

  it('translates enum values and prints unknown ones as given', () => {
    expect(label(WORDING.en.species, 'dog')).toBe('Dog');
    expect(label(WORDING.es.species, 'dog')).toBe('Perro');
    expect(label(WORDING.en.species, 'llama')).toBe('llama');
    expect(wordingFor('xx')).toBe(WORDING.es);
  });

  it('formats dates in the lab time zone, per language', () => {
    const es = formatsFor('es');
    const en = formatsFor('en');
    // 23:30 UTC on 31 Dec is already 1 January in Madrid.
    expect(es.date('2026-12-31T23:30:00.000Z')).toBe('01/01/2027');
    expect(en.date('2026-12-31T23:30:00.000Z')).toBe('01 Jan 2027');
    expect(es.dateTime('2026-03-04T12:30:00.000Z')).toBe('04/03/2026 13:30');
    expect(en.dateTime('2026-03-04T12:30:00.000Z')).toBe('04 Mar 2026 13:30');
    expect([es.date(null), en.dateTime(null), en.date('not a date')]).toEqual(['—', '—', 'not a date']);
  });

  it('writes numbers and counts per language', () => {
    expect([formatsFor('es').number(0.35), formatsFor('en').number(0.35), formatsFor('en').number(12)]).toEqual(['0,35', '0.35', '12']);
    expect([0, 1, 2].map((n) => formatsFor('es').count(n, 'protocol'))).toEqual(['0 protocolos', '1 protocolo', '2 protocolos']);
    expect([0, 1, 2].map((n) => formatsFor('en').count(n, 'protocol'))).toEqual(['0 protocols', '1 protocol', '2 protocols']);
    expect([formatsFor('es').isOne(1), formatsFor('en').isOne(3)]).toEqual([true, false]);
  });
});
