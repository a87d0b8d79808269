import { Anchor, Checkbox, Group, Paper, Select, Skeleton, Stack, Text } from '@mantine/core';
import { ProtocolSortField, ProtocolSummary } from '@vetlab/shared';
import { Link, useNavigate } from 'react-router';
import type { MessageKey } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import { useFormatters } from './format';
import { PriorityBadge, StatusBadge } from './status-badge';

/** Each sortable field's name, as the table's column headers say it. */
const SORT_LABEL: Record<(typeof ProtocolSortField)[number], MessageKey> = {
  code: 'protocols.col.code',
  createdAt: 'protocols.col.date',
  animalName: 'protocols.col.animal',
  ownerName: 'protocols.col.owner',
  status: 'protocols.col.status',
  receivedAt: 'protocols.col.receivedAt',
  species: 'protocols.filter.species',
};

/** What the list shows, as a table or as cards. */
export interface ProtocolListProps {
  items: ProtocolSummary[] | undefined;
  /** First load: nothing to show yet. */
  loading: boolean;
  /** A newer page is on its way while the previous one stays on screen. */
  refreshing: boolean;
  skeletonRows: number;
  sort: string;
  /** The whole sort at once (the phone's picker), e.g. "-createdAt". */
  onSortChange: (sort: string) => void;
  showClinic: boolean;
  /** Admins: a checkbox per row and one for the page (bulk actions). */
  selection?: { selected: ReadonlySet<string>; onChange: (ids: string[], checked: boolean) => void };
}

/**
 * The protocol list on a phone: one card per protocol (code and status first, then the animal and
 * its owner), the table's sort as one picker. Same rows, same links, same selection as the table.
 */
export function ProtocolCards({ items, loading, refreshing, skeletonRows, sort, onSortChange, showClinic, selection }: ProtocolListProps) {
  const t = useT();
  const fmt = useFormatters();
  const navigate = useNavigate();
  const sortOptions = ProtocolSortField.flatMap((f) => [
    { value: f, label: `${t(SORT_LABEL[f])} ▲` },
    { value: `-${f}`, label: `${t(SORT_LABEL[f])} ▼` },
  ]);

  return (
    <Stack gap="xs" aria-busy={loading || refreshing} style={{ opacity: refreshing ? 0.6 : 1, transition: 'opacity 120ms' }} data-testid="protocol-cards">
      <Select
        label={t('protocols.sort')}
        size="xs"
        data={sortOptions}
        value={sort}
        onChange={(v) => v && onSortChange(v)}
        allowDeselect={false}
        data-testid="protocol-sort"
      />
      {loading || !items
        ? Array.from({ length: skeletonRows }, (_, i) => (
            <Paper key={i} withBorder p="sm" data-testid="protocol-row-skeleton">
              <Skeleton height={14} mb={8} width="60%" />
              <Skeleton height={12} width="85%" />
            </Paper>
          ))
        : items.map((p) => (
            <Paper
              key={p.id}
              withBorder
              p="sm"
              data-testid="protocol-row"
              data-protocol-id={p.id}
              style={{ cursor: 'pointer' }}
              onClick={() => void navigate(`/protocols/${p.id}`)}
            >
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Group gap="xs" wrap="nowrap">
                  {selection && (
                    <Checkbox
                      size="xs"
                      aria-label={t('bulk.select.row', { code: p.code })}
                      checked={selection.selected.has(p.id)}
                      onClick={(e) => e.stopPropagation()}
                      onChange={(e) => selection.onChange([p.id], e.currentTarget.checked)}
                      data-testid="protocol-select"
                    />
                  )}
                  <Anchor component={Link} to={`/protocols/${p.id}`} ff="monospace" fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
                    {p.code}
                  </Anchor>
                </Group>
                <StatusBadge status={p.status} />
              </Group>
              <Text size="sm" mt={4}>
                <Text span fw={600}>
                  {p.animalName}
                </Text>{' '}
                <Text span c="dimmed">
                  ({t(`species.${p.species}`)})
                </Text>{' '}
                · {p.ownerName}
              </Text>
              <Group gap="xs" mt={4} wrap="wrap">
                <Text size="xs" c="dimmed">
                  {fmt.date(p.createdAt)}
                </Text>
                <PriorityBadge priority={p.priority} size="xs" />
                <Text size="xs" c="dimmed">
                  {showClinic ? p.clinic.name : (p.vet?.name ?? t('app.none'))}
                </Text>
              </Group>
            </Paper>
          ))}
    </Stack>
  );
}
