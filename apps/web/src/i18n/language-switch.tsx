import { SegmentedControl } from '@mantine/core';
import { useI18n } from './i18n';
import { LOCALES, Locale } from './types';

/** ES | EN: the reader's language, remembered on this browser. */
export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('app.language')}
      value={locale}
      onChange={(v) => setLocale(v as Locale)}
      data={LOCALES.map((l) => ({ value: l, label: l.toUpperCase() }))}
      data-testid="language-switch"
    />
  );
}
