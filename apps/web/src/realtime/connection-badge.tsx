import { Badge, MantineColor, Tooltip } from '@mantine/core';
import { useT } from '../i18n/i18n';
import type { LiveStatus } from './live-socket';

const COLOR: Record<LiveStatus, MantineColor> = { connected: 'teal', connecting: 'yellow', reconnecting: 'yellow', disconnected: 'red' };

/** Whether live updates (job progress, ready reports) are reaching this page. */
export function ConnectionBadge({ status }: { status: LiveStatus }) {
  const t = useT();
  return (
    <Tooltip label={t('live.title')} withArrow>
      <Badge
        variant="dot"
        color={COLOR[status]}
        size="md"
        role="status"
        aria-live="polite"
        data-testid="live-badge"
        data-status={status}
      >
        {t(`live.${status}`)}
      </Badge>
    </Tooltip>
  );
}
