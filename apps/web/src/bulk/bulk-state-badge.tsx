import { Badge } from '@mantine/core';
import type { BulkItemStatus, BulkRunState } from '@vetlab/shared';
import { useT } from '../i18n/i18n';

const RUN_COLORS: Record<BulkRunState, string> = { queued: 'gray', running: 'blue', completed: 'teal', cancelled: 'yellow', failed: 'red' };
const ITEM_COLORS: Record<BulkItemStatus, string> = { pending: 'gray', succeeded: 'teal', skipped: 'blue', failed: 'red', cancelled: 'yellow' };

export function BulkStateBadge({ state }: { state: BulkRunState }) {
  const t = useT();
  return (
    <Badge variant="light" color={RUN_COLORS[state]} data-testid="bulk-state">
      {t(`bulk.state.${state}`)}
    </Badge>
  );
}

export function BulkItemBadge({ status }: { status: BulkItemStatus }) {
  const t = useT();
  return (
    <Badge variant="light" size="sm" color={ITEM_COLORS[status]}>
      {t(`bulk.item.${status}`)}
    </Badge>
  );
}
