import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import type { Locale } from '../i18n/types';

export interface Formatters {
  /** 27/11/2026 */
  date: (iso: string | null | undefined) => string;
  /** 27/11/2026, 14:05 (the same day, month and year as `date`) */
  dateTime: (iso: string | null | undefined) => string;
  /** 14:05 today, the date and time otherwise */
  time: (iso: string | number) => string;
}

const NONE = '—';

/** Dates in the reader's language; the app shows local time, the API speaks UTC. */
export function useFormatters(): Formatters {
  const { locale } = useI18n();
  return useMemo(() => {
    const date = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' });
    const dateTime = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    return {
      date: (iso) => (iso ? date.format(new Date(iso)) : NONE),
      dateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : NONE),
      time: (at) => {
        const d = new Date(at);
        return d.toDateString() === new Date().toDateString() ? clock.format(d) : dateTime.format(d);
      },
    };
  }, [locale]);
}

/** "1 mes", "7 meses", "2 años y 1 mes": each part counted by the reader's plural rules. */
export function formatAge(t: Translate, locale: Locale, months: number | null): string {
  if (months == null) return NONE;
  if (months < 24) return plural(t, locale, 'protocol.ageMonths', months);
  const years = plural(t, locale, 'protocol.ageYears', Math.floor(months / 12));
  const rest = months % 12;
  return rest ? t('protocol.ageYearsMonths', { years, months: plural(t, locale, 'protocol.ageMonths', rest) }) : years;
}
