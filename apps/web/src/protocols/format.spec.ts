import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { formatAge } from './format';

const es = translate('es');
const en = translate('en');

describe('counted words on the protocol pages', () => {
  it('says an age with each part counted: "1 mes", "2 años y 1 mes"', () => {
    expect([1, 7, 24, 25, 30, 36].map((m) => formatAge(es, 'es', m))).toEqual(['1 mes', '7 meses', '2 años', '2 años y 1 mes', '2 años y 6 meses', '3 años']);
    expect([1, 7, 24, 25, 30].map((m) => formatAge(en, 'en', m))).toEqual(['1 month', '7 months', '2 years', '2 years 1 month', '2 years 6 months']);
    expect(formatAge(es, 'es', 0)).toBe('0 meses');
  });

  it('counts the protocol list’s total: "1 protocolo", "2 protocolos"', () => {
    expect([0, 1, 2].map((n) => plural(es, 'es', 'protocols.total', n))).toEqual(['0 protocolos', '1 protocolo', '2 protocolos']);
    expect([0, 1, 2].map((n) => plural(en, 'en', 'protocols.total', n))).toEqual(['0 protocols', '1 protocol', '2 protocols']);
  });

  it('counts the results entered against the total: "1 de 1 resultado"', () => {
    expect(plural(es, 'es', 'results.progress', 1, { filled: 1 })).toBe('1 de 1 resultado');
    expect(plural(es, 'es', 'results.progress', 4, { filled: 3 })).toBe('3 de 4 resultados');
    expect(plural(en, 'en', 'results.progress', 1, { filled: 0 })).toBe('0 of 1 result');
  });
});
