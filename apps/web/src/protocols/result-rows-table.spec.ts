import type { ResultRowView } from '@vetlab/shared';
import { describe, expect, it } from 'vitest';
import { formatRange, groupBySection, localizeDecimal } from './result-rows-table';

describe('formatRange', () => {
  it('writes numeric, one-sided and qualitative ranges', () => {
    expect(formatRange({ low: 5, high: 10 })).toBe('5–10');
    expect(formatRange({ low: 0.5, high: null })).toBe('≥ 0.5');
    expect(formatRange({ low: null, high: 3 })).toBe('≤ 3');
    expect(formatRange({ expected: 'negativo' })).toBe('negativo');
    expect(formatRange({})).toBeNull();
    expect(formatRange(null)).toBeNull();
    expect(formatRange({ low: 7.9, high: 12 }, (n) => n.toLocaleString('es'))).toBe('7,9–12');
  });
});

describe('localizeDecimal', () => {
  it('swaps the decimal mark of plain numbers only, keeping their digits', () => {
    expect(localizeDecimal('6.0', ',')).toBe('6,0');
    expect(localizeDecimal('-0.25', ',')).toBe('-0,25');
    expect(localizeDecimal('180', ',')).toBe('180');
    expect(localizeDecimal('6.0', '.')).toBe('6.0');
    expect(localizeDecimal('sin alteraciones', ',')).toBe('sin alteraciones');
  });
});

describe('groupBySection', () => {
  it('keeps the API order and starts a group at each change of section', () => {
    const row = (code: string, section: ResultRowView['section']) => ({ code, section }) as ResultRowView;
    const groups = groupBySection([row('HTO', 'hemograma'), row('HB', 'hemograma'), row('GLU', 'bioquimica_serica')]);
    expect(groups.map((g) => [g.section, g.rows.map((r) => r.code)])).toEqual([
      ['hemograma', ['HTO', 'HB']],
      ['bioquimica_serica', ['GLU']],
    ]);
  });
});
