import { AnalyteKind, ResultFlag } from './enums';
import { computeFlag, parseNumeric } from './flags';

const N = AnalyteKind.Numeric;
const Q = AnalyteKind.Qualitative;

describe('parseNumeric', () => {
  it.each([
    ['12.5', 12.5],
    ['12,5', 12.5],
    [' 7 ', 7],
    ['-3', -3],
    ['+0,25', 0.25],
  ])('reads %j as %d', (text, n) => expect(parseNumeric(text)).toBe(n));

  it.each(['', 'abc', '12.5.1', '1e3', '12,5 mg', '.5', '1.'])('refuses %j', (text) => expect(parseNumeric(text)).toBeNull());
});

describe('computeFlag, numeric', () => {
  const range = { low: 5.5, high: 16.9 };

  it.each([
    ['3', ResultFlag.Low],
    ['5,4', ResultFlag.Low],
    ['5.5', ResultFlag.Normal],
    ['10', ResultFlag.Normal],
    ['16,9', ResultFlag.Normal],
    ['17', ResultFlag.High],
    ['16.95', ResultFlag.High],
  ])('%s against 5.5–16.9 → %s', (value, flag) => expect(computeFlag(N, value, range)).toBe(flag));

  it('judges against one bound when the other is missing', () => {
    expect(computeFlag(N, '100', { low: 10 })).toBe(ResultFlag.Normal);
    expect(computeFlag(N, '2', { low: 10, high: null })).toBe(ResultFlag.Low);
    expect(computeFlag(N, '0,3', { high: 0.2 })).toBe(ResultFlag.High);
  });

  it('gives no flag for a value that is not a number', () => {
    expect(computeFlag(N, 'hemolizada', range)).toBeNull();
  });
});

describe('computeFlag, qualitative', () => {
  const range = { expected: 'Negativo' };

  it.each([
    ['negativo', ResultFlag.Normal],
    ['NEGATIVO', ResultFlag.Normal],
    ['  Negativo ', ResultFlag.Normal],
    ['positivo', ResultFlag.Abnormal],
    ['trazas', ResultFlag.Abnormal],
  ])('%j against "Negativo" → %s', (value, flag) => expect(computeFlag(Q, value, range)).toBe(flag));

  it('gives no flag without an expected value', () => {
    expect(computeFlag(Q, 'positivo', { low: 1, high: 2 })).toBeNull();
    expect(computeFlag(Q, 'positivo', { expected: null })).toBeNull();
  });
});

describe('computeFlag, nothing to judge', () => {
  it.each([
    [N, null, { low: 1, high: 2 }],
    [N, undefined, { low: 1, high: 2 }],
    [N, '', { low: 1, high: 2 }],
    [N, '   ', { low: 1, high: 2 }],
    [N, '1,5', null],
    [N, '1,5', undefined],
    [Q, 'negativo', null],
    [Q, null, { expected: 'negativo' }],
  ] as const)('%s value %j with range %j → null', (kind, value, range) => {
    expect(computeFlag(kind, value, range)).toBeNull();
  });
});
