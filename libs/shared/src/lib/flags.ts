import { z } from 'zod';
import { AnalyteKind, ResultFlag } from './enums';

export const ReferenceRange = z
  .object({
    low: z.number().nullable().optional(),
    high: z.number().nullable().optional(),
    /** Qualitative analytes: the expected value, e.g. "negativo". */
    expected: z.string().nullable().optional(),
  })
  .meta({ id: 'ReferenceRange' });
export type ReferenceRange = z.infer<typeof ReferenceRange>;

/** Parses a typed value the way lab staff write it ("12,5" or "12.5"); null when not a number. */
export function parseNumeric(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** Flag of a result against the species' reference range; null when there is nothing to judge. */
export function computeFlag(kind: AnalyteKind, value: string | null | undefined, range?: ReferenceRange | null): ResultFlag | null {
  if (value == null || value.trim() === '' || !range) return null;
  if (kind === AnalyteKind.Numeric) {
    const n = parseNumeric(value);
    if (n == null) return null;
    if (range.low != null && n < range.low) return ResultFlag.Low;
    if (range.high != null && n > range.high) return ResultFlag.High;
    return ResultFlag.Normal;
  }
  if (range.expected == null) return null;
  const norm = (s: string) => s.trim().toLocaleLowerCase('es');
  return norm(value) === norm(range.expected) ? ResultFlag.Normal : ResultFlag.Abnormal;
}
