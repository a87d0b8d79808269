import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { bulkCounts } from './bulk-counts';

const es = translate('es');
const en = translate('en');

describe('bulkCounts', () => {
  it('counts each outcome on its own in Spanish: one is singular, zero and many plural', () => {
    expect(bulkCounts(es, 'es', { succeeded: 1, skipped: 0, failed: 2, cancelled: 1 })).toBe('1 correcto · 0 omitidos · 2 fallidos');
    expect(bulkCounts(es, 'es', { succeeded: 3, skipped: 1, failed: 1, cancelled: 1 }, true)).toBe('3 correctos, 1 omitido, 1 fallido, 1 cancelado');
  });

  it('says the same in English, whose participles do not change', () => {
    expect(bulkCounts(en, 'en', { succeeded: 1, skipped: 0, failed: 2, cancelled: 0 })).toBe('1 succeeded · 0 skipped · 2 failed');
    expect(bulkCounts(en, 'en', { succeeded: 1, skipped: 2, failed: 0, cancelled: 1 }, true)).toBe('1 succeeded, 2 skipped, 0 failed, 1 cancelled');
  });
});
