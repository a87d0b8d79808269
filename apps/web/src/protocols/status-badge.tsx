import { Badge, BadgeProps, MantineColor } from '@mantine/core';
import type { Priority, ProtocolStatus, ReportVersionStatus } from '@vetlab/shared';
import { useT } from '../i18n/i18n';

const STATUS_COLOR: Record<ProtocolStatus, MantineColor> = {
  submitted: 'gray',
  received: 'blue',
  in_analysis: 'yellow',
  reported: 'teal',
  rejected: 'red',
};

const PRIORITY_COLOR: Record<Priority, MantineColor> = { routine: 'gray', urgent: 'orange', stat: 'red' };

const REPORT_COLOR: Record<ReportVersionStatus, MantineColor> = {
  draft: 'gray',
  finalizing: 'blue',
  finalized: 'teal',
  finalize_failed: 'red',
  superseded: 'dark',
  invalidated: 'red',
};

type Extra = Omit<BadgeProps, 'color' | 'children'>;

// miw="max-content" on every badge: Mantine ellipsises a badge's label, and a table squeezing its
// columns would otherwise shrink statuses to "EN ANÁ…".

export function StatusBadge({ status, ...rest }: { status: ProtocolStatus } & Extra) {
  const t = useT();
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" miw="max-content" data-testid="status-badge" data-status={status} {...rest}>
      {t(`status.${status}`)}
    </Badge>
  );
}

/** Routine is the norm and stays quiet; urgent and STAT stand out. */
export function PriorityBadge({ priority, ...rest }: { priority: Priority } & Extra) {
  const t = useT();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant={priority === 'routine' ? 'outline' : 'filled'} miw="max-content" data-priority={priority} {...rest}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

export function ReportStatusBadge({ status, ...rest }: { status: ReportVersionStatus } & Extra) {
  const t = useT();
  return (
    <Badge color={REPORT_COLOR[status]} variant="light" miw="max-content" data-testid="report-status-badge" data-status={status} {...rest}>
      {t(`reportStatus.${status}`)}
    </Badge>
  );
}
