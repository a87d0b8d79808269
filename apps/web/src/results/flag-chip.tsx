import { Badge } from '@mantine/core';
import type { ResultFlag } from '@vetlab/shared';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/i18n';

const LOOK: Record<ResultFlag, { color: string; arrow: string; key: MessageKey }> = {
  low: { color: 'blue', arrow: '↓ ', key: 'flag.low' },
  high: { color: 'red', arrow: '↑ ', key: 'flag.high' },
  normal: { color: 'teal', arrow: '', key: 'flag.normal' },
  abnormal: { color: 'orange', arrow: '', key: 'flag.abnormal' },
};

/**
 * The flag of a result against its reference range. Always rendered (empty without a flag) so that
 * tests and screen readers find it in the same place: data-flag says which one.
 */
export function FlagChip({ code, flag }: { code: string; flag: ResultFlag | null }) {
  const { t, locale } = useI18n();
  if (!flag) return <span data-testid={`flag-${code}`} data-flag="" />;
  const look = LOOK[flag];
  return (
    <Badge
      data-testid={`flag-${code}`}
      data-flag={flag}
      color={look.color}
      variant={flag === 'normal' ? 'light' : 'filled'}
      size="sm"
      tt="none"
    >
      {look.arrow}
      {t(look.key).toLocaleLowerCase(locale)}
    </Badge>
  );
}
