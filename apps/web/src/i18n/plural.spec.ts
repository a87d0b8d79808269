import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { plural } from './plural';

describe('plural', () => {
  it('picks the one/other form by the locale’s rules and fills {count}', () => {
    const es = translate('es');
    const en = translate('en');
    expect(plural(es, 'es', 'ops.jobs.total', 1)).toBe('1 trabajo');
    expect(plural(es, 'es', 'ops.jobs.total', 0)).toBe('0 trabajos');
    expect(plural(es, 'es', 'ops.jobs.total', 2)).toBe('2 trabajos');
    expect(plural(en, 'en', 'ops.workers', 1)).toBe('1 worker');
    expect(plural(en, 'en', 'ops.workers', 3)).toBe('3 workers');
  });
});
