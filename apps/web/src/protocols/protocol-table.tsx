import { Anchor, Box, Button, Checkbox, EmptyState, Group, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import type { ProtocolSummary } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import type { MessageKey } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import { usePhone } from '../app/phone';
import { useFormatters } from './format';
import { ProtocolCards, ProtocolListProps } from './protocol-cards';
import { SortField, sortOf } from './protocol-query';
import { PriorityBadge, StatusBadge } from './status-badge';

interface Column {
  id: string;
  label: MessageKey;
  sort?: SortField;
  /**
   * The column's width (the table's layout is fixed): short values (codes, dates, badges) get what
   * they need; names share what is left, on one line, cut with an ellipsis (the whole name on
   * hover). Rows keep one height, so a page of 25 fits a laptop's screen.
   */
  width?: number | string;
  /** The cell's full text, shown on hover where it may be cut; a cell with one is cut to its width. */
  title?: (p: ProtocolSummary) => string;
  render: (p: ProtocolSummary) => ReactNode;
}

/** One line, cut with an ellipsis where the cell ends. */
const CUT = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' } as const;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

interface Props extends ProtocolListProps {
  onSort: (field: SortField) => void;
  filtered: boolean;
  onClearFilters: () => void;
}

/** The protocol table: sortable headers, clickable rows, skeleton while loading, empty state; cards on a phone. */
export function ProtocolTable({ items, loading, refreshing, skeletonRows, sort, onSort, onSortChange, showClinic, filtered, onClearFilters, selection }: Props) {
  const t = useT();
  const phone = usePhone();
  const fmt = useFormatters();
  const navigate = useNavigate();

  const vetName = (p: ProtocolSummary) => p.vet?.name ?? t('app.none');
  const pageIds = items?.map((p) => p.id) ?? [];
  const ticked = selection ? pageIds.filter((id) => selection.selected.has(id)).length : 0;
  const columns: Column[] = [
    ...(selection
      ? [
          {
            id: 'select',
            label: 'bulk.select.page',
            width: 36,
            render: (p: ProtocolSummary) => (
              <Checkbox
                size="xs"
                aria-label={t('bulk.select.row', { code: p.code })}
                checked={selection.selected.has(p.id)}
                onClick={(e) => e.stopPropagation()}
                onChange={(e) => selection.onChange([p.id], e.currentTarget.checked)}
                data-testid="protocol-select"
              />
            ),
          } satisfies Column,
        ]
      : []),
    {
      id: 'code',
      label: 'protocols.col.code',
      sort: 'code',
      width: 130,
      render: (p) => (
        <Anchor component={Link} to={`/protocols/${p.id}`} ff="monospace" fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
          {p.code}
        </Anchor>
      ),
    },
    { id: 'date', label: 'protocols.col.date', sort: 'createdAt', width: 100, render: (p) => fmt.date(p.createdAt) },
    // Across clinics, a protocol's clinic and its vet share a column (the vet under the clinic), so the
    // table fits a laptop's width without scrolling sideways; a clinic's own list shows the vet alone.
    showClinic
      ? {
          id: 'clinic',
          label: 'protocols.col.clinicVet',
          width: '20%',
          title: (p) => `${p.clinic.name} · ${vetName(p)}`,
          render: (p) => (
            <>
              <Text size="sm" truncate="end">
                {p.clinic.name}
              </Text>
              <Text c="dimmed" size="xs" truncate="end">
                {vetName(p)}
              </Text>
            </>
          ),
        }
      : { id: 'vet', label: 'protocols.col.vet', width: '20%', title: vetName, render: vetName },
    {
      id: 'animal',
      label: 'protocols.col.animal',
      sort: 'animalName',
      title: (p) => `${p.animalName} (${t(`species.${p.species}`)})`,
      render: (p) => (
        <>
          {p.animalName}{' '}
          <Text span c="dimmed" size="sm">
            ({t(`species.${p.species}`)})
          </Text>
        </>
      ),
    },
    { id: 'owner', label: 'protocols.col.owner', sort: 'ownerName', title: (p) => p.ownerName, render: (p) => p.ownerName },
    { id: 'priority', label: 'protocols.col.priority', width: 95, render: (p) => <PriorityBadge priority={p.priority} size="sm" /> },
    { id: 'status', label: 'protocols.col.status', sort: 'status', width: 115, render: (p) => <StatusBadge status={p.status} /> },
    { id: 'receivedAt', label: 'protocols.col.receivedAt', sort: 'receivedAt', width: 130, render: (p) => fmt.dateTime(p.receivedAt) },
  ];

  if (!loading && items && items.length === 0) {
    return (
      <EmptyState
        mt="xl"
        data-testid="protocols-empty"
        title={t('protocols.empty')}
        description={filtered ? t('protocols.emptyFiltered') : t('protocols.emptyNone')}
      >
        {filtered && (
          <EmptyState.Actions>
            <Button variant="light" onClick={onClearFilters}>
              {t('protocols.filter.clear')}
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    );
  }

  if (phone) {
    const cards = { items, loading, refreshing, skeletonRows, sort, onSortChange, showClinic, selection };
    return <ProtocolCards {...cards} />;
  }

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table
        highlightOnHover
        verticalSpacing="xs"
        layout="fixed"
        withTableBorder
        stickyHeader
        aria-busy={loading || refreshing}
        style={{ opacity: refreshing ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        {/* The widths of a fixed layout, on columns: Chrome leaves them unread on a sticky header's cells. */}
        <colgroup>
          {columns.map((c) => (
            <col key={c.id} style={{ width: c.width }} />
          ))}
        </colgroup>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) =>
              c.id === 'select' && selection ? (
                <Table.Th key={c.id}>
                  <Checkbox
                    size="xs"
                    aria-label={t('bulk.select.page')}
                    checked={pageIds.length > 0 && ticked === pageIds.length}
                    indeterminate={ticked > 0 && ticked < pageIds.length}
                    onChange={(e) => selection.onChange(pageIds, e.currentTarget.checked)}
                    data-testid="protocol-select-page"
                  />
                </Table.Th>
              ) : (
                <SortableTh key={c.id} label={t(c.label)} field={c.sort} sort={sort} onSort={onSort} />
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading || !items
            ? Array.from({ length: skeletonRows }, (_, i) => (
                <Table.Tr key={i} data-testid="protocol-row-skeleton">
                  {columns.map((c) => (
                    <Table.Td key={c.id}>
                      <Skeleton height={14} radius="sm" />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            : items.map((p) => (
                <Table.Tr
                  key={p.id}
                  data-testid="protocol-row"
                  data-protocol-id={p.id}
                  style={{ cursor: 'pointer' }}
                  onClick={() => void navigate(`/protocols/${p.id}`)}
                >
                  {columns.map((c) => (
                    <Table.Td key={c.id} style={c.title ? CUT : NOWRAP} title={c.title?.(p)}>
                      {c.render(p)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const ARROW = { asc: '▲', desc: '▼' } as const;

/** A header cell; with a sort field it is a button that asks the server for that order. */
function SortableTh({ label, field, sort, onSort }: { label: string; field?: SortField; sort: string; onSort: (f: SortField) => void }) {
  const t = useT();
  if (!field) return <Table.Th>{label}</Table.Th>;
  const dir = sortOf(sort, field);
  return (
    <Table.Th aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} p={0}>
      <UnstyledButton
        onClick={() => onSort(field)}
        title={t('protocols.sortBy', { column: label })}
        data-sort-field={field}
        px="sm"
        py="xs"
        w="100%"
      >
        <Group gap={4} wrap="nowrap" justify="space-between">
          <Text fw={700} size="sm">
            {label}
          </Text>
          <Box component="span" aria-hidden c={dir ? 'teal.7' : 'gray.4'} fz={10}>
            {dir ? ARROW[dir] : '▲▼'}
          </Box>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
