import { Group, Loader, Pagination, Select, Stack, Text, Title } from '@mantine/core';
import { Role } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { BulkBar, BulkSelection } from '../bulk/bulk-bar';
import { useSearchParams } from 'react-router';
import { usePhone } from '../app/phone';
import { useSession } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { ProtocolFiltersBar } from './protocol-filters';
import { useClinics, useProtocolList } from './protocol-queries';
import {
  EMPTY_FILTERS,
  hasFilters,
  nextSort,
  PAGE_SIZES,
  parseTableState,
  ProtocolFilters,
  ProtocolTableState,
  SortField,
  toSearchParams,
} from './protocol-query';
import { ProtocolTable } from './protocol-table';
import { LoadError } from '../app/load-error';

/**
 * /protocols: every role's list, the admin's main page. Filters, sort and page live in the URL;
 * the server filters, sorts and pages (and confines a vet to their clinic).
 */
export function ProtocolsPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const state = parseTableState(params);
  const isLab = session?.user.role === Role.Staff || session?.user.role === Role.Admin;
  const isAdmin = session?.user.role === Role.Admin;
  const phone = usePhone();
  const list = useProtocolList(state);
  const [selection, setSelection] = useState<BulkSelection>({ ids: [], allMatching: false });
  // A new filter means a new set of protocols: what was selected under the old one is dropped.
  const filterKey = JSON.stringify([state.status, state.clinicId, state.species, state.from, state.to, state.q.trim()]);
  useEffect(() => setSelection({ ids: [], allMatching: false }), [filterKey]);
  const select = (ids: string[], checked: boolean) =>
    setSelection((s) => {
      const next = new Set(s.allMatching ? (list.data?.items.map((p) => p.id) ?? []) : s.ids);
      for (const id of ids) if (checked) next.add(id);
      else next.delete(id);
      return { ids: [...next], allMatching: false };
    });
  const clinics = useClinics(isLab);

  /** Merges into the state read from the URL at call time, so debounced callers never write stale values. */
  const update = (patch: Partial<ProtocolTableState>, replace = false) =>
    setParams((prev) => toSearchParams({ ...parseTableState(prev), ...patch }), { replace });
  const filter = (patch: Partial<ProtocolFilters>, typing = false) => update({ ...patch, page: 1 }, typing);
  const clear = () => update({ ...EMPTY_FILTERS, page: 1 });

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / state.pageSize)) : 1;

  // A stale link past the last page (rows went away since): go to the last page there is.
  useEffect(() => {
    if (data && !list.isPlaceholderData && data.total > 0 && state.page > pages) update({ page: pages }, true);
  });

  const first = data && data.total ? (state.page - 1) * state.pageSize + 1 : 0;
  const last = data ? Math.min(data.total, state.page * state.pageSize) : 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Group gap="sm" align="baseline">
          <Title order={2}>{t('protocols.title')}</Title>
          {data && (
            <Text c="dimmed" data-testid="protocols-total">
              {data.totalCapped ? t('protocols.totalMore', { count: data.total.toLocaleString(locale) }) : plural(t, locale, 'protocols.total', data.total)}
            </Text>
          )}
          {list.isFetching && data && <Loader size="xs" aria-label={t('app.loading')} />}
        </Group>
      </Group>

      <ProtocolFiltersBar value={state} onChange={filter} onClear={clear} clinics={isLab ? (clinics.data ?? []) : null} />

      {isAdmin && data && (
        <BulkBar
          selection={selection}
          pageComplete={data.items.length > 0 && data.items.every((p) => selection.ids.includes(p.id))}
          total={data.total}
          totalCapped={data.totalCapped}
          filters={state}
          onSelectAllMatching={() => setSelection({ ids: [], allMatching: true })}
          onClear={() => setSelection({ ids: [], allMatching: false })}
        />
      )}

      {list.isError && (
        <LoadError title="protocols.loadError" error={list.error} onRetry={() => list.refetch()} />
      )}

      {!(list.isError && !data) && (
        <ProtocolTable
          items={data?.items}
          loading={list.isPending}
          refreshing={list.isPlaceholderData}
          skeletonRows={Math.min(state.pageSize, 10)}
          sort={state.sort}
          onSort={(field: SortField) => update({ sort: nextSort(state.sort, field), page: 1 })}
          onSortChange={(sort) => update({ sort, page: 1 })}
          showClinic={session?.user.role !== Role.Vet}
          filtered={hasFilters(state)}
          onClearFilters={clear}
          selection={
            isAdmin
              ? { selected: new Set(selection.allMatching ? (data?.items.map((p) => p.id) ?? []) : selection.ids), onChange: select }
              : undefined
          }
        />
      )}

      {data && data.total > 0 && (
        <Group justify="space-between" wrap="wrap">
          <Group gap="sm">
            <Text size="sm" c="dimmed" data-testid="protocols-range">
              {data.totalCapped
                ? t('protocols.rangeMore', { from: first, to: last, total: data.total.toLocaleString(locale) })
                : t('protocols.range', { from: first, to: last, total: data.total })}
            </Text>
            <Select
              aria-label={t('protocols.pageSize')}
              size="xs"
              w={80}
              data={PAGE_SIZES.map(String)}
              value={String(state.pageSize)}
              onChange={(v) => v && update({ pageSize: Number(v), page: 1 })}
              allowDeselect={false}
              data-testid="page-size"
            />
            <Text size="sm" c="dimmed">
              {t('protocols.pageSize')}
            </Text>
          </Group>
          <Pagination
            total={pages}
            value={Math.min(state.page, pages)}
            onChange={(page) => update({ page })}
            siblings={phone ? 0 : 1}
            boundaries={1}
            size={phone ? 'sm' : 'md'}
          />
        </Group>
      )}
    </Stack>
  );
}
