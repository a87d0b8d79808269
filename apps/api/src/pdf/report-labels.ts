import { ReferenceRange, ReportLanguage, ResultFlag } from '@vetlab/shared';
import { formatsFor } from '../i18n/wording';

export const isOutOfRange = (flag: ResultFlag | null): boolean => flag != null && flag !== ResultFlag.Normal;

/**
 * The "Valores de referencia" text of a stored range, for whoever builds ReportPdfData:
 * `{ low: 37, high: 55 }` → "37 – 55", one bound only → ">= 5" / "<= 0,3", a qualitative
 * expectation → the expected answer. Numbers as the report's language writes them (decimal comma
 * in Spanish, point in English).
 */
export function formatReference(range: ReferenceRange | null | undefined, language: ReportLanguage): string | null {
  if (!range) return null;
  const n = formatsFor(language).number;
  if (range.low != null && range.high != null) return `${n(range.low)} – ${n(range.high)}`;
  if (range.low != null) return `>= ${n(range.low)}`;
  if (range.high != null) return `<= ${n(range.high)}`;
  return range.expected ?? null;
}
