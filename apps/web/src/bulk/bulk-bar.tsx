import { Anchor, Button, Group, Menu, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { BULK_MAX_ITEMS, ProtocolAction, values } from '@vetlab/shared';
import { useState } from 'react';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import type { ProtocolFilters } from '../protocols/protocol-query';
import { actionLabel, bulkKeys, bulkNoticeIds, filterBody, startBulk } from './bulk-api';
import { BulkConfirmModal } from './bulk-confirm-modal';

export interface BulkSelection {
  /** Ids ticked by hand (rows or whole pages). */
  ids: string[];
  /** "All N matching the filter": the server resolves the filter when the request arrives. */
  allMatching: boolean;
}

interface Props {
  selection: BulkSelection;
  /** Rows on this page, and whether all of them are ticked (offer "all N matching" then). */
  pageComplete: boolean;
  total: number;
  /** More than `total` match (the list's count stopped at its cap). */
  totalCapped?: boolean;
  filters: ProtocolFilters;
  onSelectAllMatching: () => void;
  onClear: () => void;
}

/** Shown while protocols are selected (admins): how many, "all N matching", the action menu. */
export function BulkBar({ selection, pageComplete, total, totalCapped = false, filters, onSelectAllMatching, onClear }: Props) {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  const [action, setAction] = useState<ProtocolAction | null>(null);
  const count = selection.allMatching ? total : selection.ids.length;
  if (!count) return null;

  const confirm = async (reason: string | undefined) => {
    const target = selection.allMatching ? { filter: filterBody(filters) } : { ids: selection.ids };
    const accepted = await startBulk(api, { action: action!, ...(reason ? { reason } : {}), ...target });
    notifications.show({ id: bulkNoticeIds.started(accepted.bulkId), title: plural(t, locale, 'bulk.processing', accepted.total), message: t('bulk.processingHint'), color: 'teal', autoClose: 5000 });
    setAction(null);
    onClear();
    void qc.invalidateQueries({ queryKey: bulkKeys.active });
  };

  // A capped count ("more than N") is too many only when N already is the most a run takes.
  const tooMany = selection.allMatching && (total > BULK_MAX_ITEMS || (totalCapped && total >= BULK_MAX_ITEMS));
  const matching = (key: 'bulk.selectedAll' | 'bulk.selectAll') =>
    totalCapped ? t(`${key}More`, { count: total.toLocaleString(locale) }) : plural(t, locale, key, total);
  return (
    <Paper withBorder p="xs" bg="teal.0" data-testid="bulk-bar">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Text size="sm" fw={600} data-testid="bulk-selected">
            {selection.allMatching ? matching('bulk.selectedAll') : plural(t, locale, 'bulk.selected', count)}
          </Text>
          {!selection.allMatching && pageComplete && total > selection.ids.length && (
            <Anchor component="button" type="button" size="sm" onClick={onSelectAllMatching} data-testid="bulk-select-all">
              {matching('bulk.selectAll')}
            </Anchor>
          )}
          {tooMany && (
            <Text size="sm" c="red">
              {t('bulk.tooMany')}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="subtle" onClick={onClear}>
            {t('bulk.clearSelection')}
          </Button>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <Button size="xs" disabled={tooMany} data-testid="bulk-actions">
                {t('bulk.actions')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {values(ProtocolAction).map((a) => (
                <Menu.Item key={a} color={a === 'reject' ? 'red' : undefined} onClick={() => setAction(a)} data-testid={`bulk-action-${a}`}>
                  {t(actionLabel(a))}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <BulkConfirmModal action={action} count={count} onClose={() => setAction(null)} onConfirm={confirm} />
    </Paper>
  );
}
