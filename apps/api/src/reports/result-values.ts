import { AnalyteKind, computeFlag, parseNumeric, ReferenceRange, ResultFlag, Species } from '@vetlab/shared';
import { Analyte } from '../catalogue/analyte.entity';

export function rangeFor(analyte: Pick<Analyte, 'ranges'>, species: Species): ReferenceRange | null {
  const r = analyte.ranges.find((x) => x.species === species);
  return r ? { low: r.low, high: r.high, expected: r.expected } : null;
}

export interface ResultFields {
  value: string | null;
  numericValue: number | null;
  flag: ResultFlag | null;
}

/**
 * The stored form of a typed result: text as typed, its number when the analyte is numeric and the
 * flag against the range. Returns null for a numeric analyte whose text is not a number.
 */
export function resultFields(analyte: Pick<Analyte, 'kind'>, range: ReferenceRange | null, value: string | null): ResultFields | null {
  const text = value?.trim() ? value.trim() : null;
  if (text == null) return { value: null, numericValue: null, flag: null };
  if (analyte.kind === AnalyteKind.Numeric) {
    const n = parseNumeric(text);
    if (n == null) return null;
    return { value: text, numericValue: n, flag: computeFlag(analyte.kind, text, range) };
  }
  return { value: text, numericValue: null, flag: computeFlag(analyte.kind, text, range) };
}
