import { textWidth, winAnsiSafe, wrapLines } from './helvetica-metrics';

describe('helvetica metrics', () => {
  it('measures with the AFM advance widths', () => {
    // H 722 + e 556 + l 222 + l 222 + o 556 = 2278 units
    expect(textWidth('Hello', 10)).toBeCloseTo(22.78, 6);
    expect(textWidth('Hello', 10, true)).toBeGreaterThan(textWidth('Hello', 10));
    expect(textWidth('ñ', 10)).toBeCloseTo(5.56, 6);
  });

  it('wraps greedily, keeps hard breaks and cuts words longer than a line', () => {
    expect(wrapLines('uno dos tres', textWidth('uno dos', 10), 10)).toEqual(['uno dos', 'tres']);
    expect(wrapLines('a\n\nb', 100, 10)).toEqual(['a', '', 'b']);
    const cut = wrapLines('x'.repeat(50), 40, 10);
    expect(cut.length).toBeGreaterThan(1);
    expect(cut.every((l) => textWidth(l, 10) <= 40)).toBe(true);
    expect(cut.join('')).toBe('x'.repeat(50));
  });

  it('makes text printable in the standard fonts', () => {
    expect(winAnsiSafe('Hemoglobina ≤ 12 — ñandú “ok” €')).toBe('Hemoglobina <= 12 — ñandú “ok” €');
    expect(winAnsiSafe('β-hidroxibutirato')).toBe('beta-hidroxibutirato');
    expect(winAnsiSafe('×10⁶/µL')).toBe('×10^6/µL');
    expect(winAnsiSafe('ő 漢')).toBe('o ?');
  });
});
