import type { Translate } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import type { Locale } from '../i18n/types';

export interface BulkCounts {
  succeeded: number;
  skipped: number;
  failed: number;
  cancelled: number;
}

/**
 * A run's outcome counts, each by the reader's plural rules: "1 correcto · 0 omitidos · 2 fallidos"
 * while it runs; a finished run's summary (`summary`) also tells the cancelled ones, comma-separated.
 */
export function bulkCounts(t: Translate, locale: Locale, c: BulkCounts, summary = false): string {
  const parts = [
    plural(t, locale, 'bulk.count.succeeded', c.succeeded),
    plural(t, locale, 'bulk.count.skipped', c.skipped),
    plural(t, locale, 'bulk.count.failed', c.failed),
  ];
  return summary ? [...parts, plural(t, locale, 'bulk.count.cancelled', c.cancelled)].join(', ') : parts.join(' · ');
}
