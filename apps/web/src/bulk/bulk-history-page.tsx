import { Anchor, Group, Loader, Pagination, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { bulkCounts } from './bulk-counts';
import { useFormatters } from '../protocols/format';
import { actionLabel, bulkKeys, listRuns } from './bulk-api';
import { BulkStateBadge } from './bulk-state-badge';

/** /bulk: every bulk run, newest first (admins). */
export function BulkHistoryPage() {
  const api = useApi();
  const { t, locale } = useI18n();
  const fmt = useFormatters();
  const [page, setPage] = useState(1);
  const runs = useQuery({ queryKey: bulkKeys.list(page), queryFn: () => listRuns(api, page) });
  const data = runs.data;
  return (
    <Stack gap="md">
      <Group gap="sm" align="baseline">
        <Title order={2}>{t('bulk.history.title')}</Title>
        {runs.isFetching && <Loader size="xs" aria-label={t('app.loading')} />}
      </Group>
      {data && data.total === 0 && <Text c="dimmed">{t('bulk.history.empty')}</Text>}
      {data && data.total > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="bulk-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('bulk.col.date')}</Table.Th>
                <Table.Th>{t('bulk.col.action')}</Table.Th>
                <Table.Th>{t('bulk.col.by')}</Table.Th>
                <Table.Th>{t('bulk.col.state')}</Table.Th>
                <Table.Th>{t('bulk.col.progress')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((r) => (
                <Table.Tr key={r.id} data-testid="bulk-run-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/bulk/${r.id}`} size="sm">
                      {fmt.dateTime(r.createdAt)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(actionLabel(r.action))}</Table.Td>
                  <Table.Td>{r.createdBy?.name ?? t('app.none')}</Table.Td>
                  <Table.Td>
                    <BulkStateBadge state={r.state} />
                  </Table.Td>
                  <Table.Td miw={220}>
                    <Progress value={r.total ? (100 * r.done) / r.total : 100} size="sm" color={r.failed ? 'orange' : 'teal'} />
                    <Text size="xs" c="dimmed">
                      {r.done}/{r.total} · {bulkCounts(t, locale, r)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {data && data.total > data.pageSize && <Pagination total={Math.ceil(data.total / data.pageSize)} value={page} onChange={setPage} />}
    </Stack>
  );
}
