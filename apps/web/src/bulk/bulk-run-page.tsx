import { Alert, Anchor, Button, Group, Loader, Pagination, Paper, Progress, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { BulkItemStatus, isBulkRunOver, isBulkRunResumable, values } from '@vetlab/shared';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { bulkCounts } from './bulk-counts';
import { errorMessage, notifyError } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { actionLabel, bulkKeys, cancelRun, downloadCsv, getItems, getRun, resumeRun, retryFailed } from './bulk-api';
import { BulkItemBadge, BulkStateBadge } from './bulk-state-badge';
import { HistoryTab } from '../audit/history-tab';


/** /bulk/:id: one run, its counts and its ledger, item by item (admins). */
export function BulkRunPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const { t, locale } = useI18n();
  const fmt = useFormatters();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [status, setStatus] = useState<BulkItemStatus | null>(null);
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState(false);
  const run = useQuery({ queryKey: bulkKeys.run(id), queryFn: () => getRun(api, id) });
  const items = useQuery({ queryKey: bulkKeys.items(id, status, page), queryFn: () => getItems(api, id, status, page), placeholderData: (prev) => prev });

  if (run.isPending) return <Loader aria-label={t('app.loading')} />;
  if (run.isError) {
    const missing = run.error instanceof ApiError && (run.error.status === 404 || run.error.status === 400);
    return (
      <Alert color="red" role="alert">
        {missing ? t('bulk.run.notFound') : errorMessage(t, run.error)}
      </Alert>
    );
  }
  const r = run.data;
  const over = isBulkRunOver(r.state);
  const act = (fn: () => Promise<unknown>) => {
    setBusy(true);
    void fn()
      .catch((err: unknown) => notifyError(t, err))
      .finally(() => setBusy(false));
  };
  const data = items.data;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Group gap="sm" align="baseline">
          <Title order={2}>{t('bulk.run.title', { action: t(actionLabel(r.action)) })}</Title>
          <BulkStateBadge state={r.state} />
        </Group>
        <Anchor component={Link} to="/bulk" size="sm">
          {t('bulk.history.title')}
        </Anchor>
      </Group>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {fmt.dateTime(r.createdAt)} · {r.createdBy?.name ?? t('app.none')}
          </Text>
          {r.reason && <Text size="sm">{t('bulk.run.reason', { reason: r.reason })}</Text>}
          {r.retryOf && (
            <Anchor component={Link} to={`/bulk/${r.retryOf}`} size="sm">
              {t('bulk.run.retryOf')}
            </Anchor>
          )}
          <Progress value={r.total ? (100 * r.done) / r.total : 100} color={r.failed ? 'orange' : 'teal'} animated={!over} data-testid="bulk-run-bar" />
          <Text size="sm" data-testid="bulk-run-counts">
            {r.done}/{r.total} · {bulkCounts(t, locale, r)}
          </Text>
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={() => act(() => downloadCsv(api, r.id))} disabled={busy}>
              {t('bulk.run.csv')}
            </Button>
            {isBulkRunResumable(r.state) && (
              <Button
                size="xs"
                loading={busy}
                data-testid="bulk-resume"
                onClick={() =>
                  act(async () => {
                    await resumeRun(api, r.id);
                    await qc.invalidateQueries({ queryKey: bulkKeys.all });
                  })
                }
              >
                {t('bulk.run.resume')}
              </Button>
            )}
            {over && r.failed > 0 && (
              <Button
                size="xs"
                color="orange"
                loading={busy}
                data-testid="bulk-retry"
                onClick={() =>
                  act(async () => {
                    const accepted = await retryFailed(api, r.id);
                    void qc.invalidateQueries({ queryKey: bulkKeys.active });
                    void navigate(`/bulk/${accepted.bulkId}`);
                  })
                }
              >
                {t('bulk.run.retry')}
              </Button>
            )}
            {!over && !r.cancelRequested && (
              <Button size="xs" color="red" variant="light" loading={busy} onClick={() => act(async () => qc.setQueryData(bulkKeys.run(r.id), await cancelRun(api, r.id)))}>
                {t('bulk.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>

      <Tabs defaultValue="items" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="items">{t('audit.tab.items')}</Tabs.Tab>
          <Tabs.Tab value="history" data-testid="history-tab">
            {t('audit.tab.history')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="items" pt="md">
          <Stack gap="md">
            <SegmentedControl
              size="xs"
              value={status ?? 'all'}
              onChange={(v) => {
                setStatus(v === 'all' ? null : (v as BulkItemStatus));
                setPage(1);
              }}
              data={[{ value: 'all', label: t('bulk.item.all') }, ...values(BulkItemStatus).map((s) => ({ value: s, label: t(`bulk.item.${s}`) }))]}
              data-testid="bulk-item-filter"
            />
            {data && data.total === 0 && <Text c="dimmed">{t('bulk.run.noItems')}</Text>}
            {data && data.total > 0 && (
              <Table.ScrollContainer minWidth={640}>
                <Table withTableBorder verticalSpacing="xs" data-testid="bulk-items">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('bulk.col.protocol')}</Table.Th>
                      <Table.Th>{t('bulk.col.animal')}</Table.Th>
                      <Table.Th>{t('bulk.col.outcome')}</Table.Th>
                      <Table.Th>{t('bulk.col.reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.items.map((i) => (
                      <Table.Tr key={i.protocolId} data-testid="bulk-item-row">
                        <Table.Td ff="monospace">
                          {i.code ? (
                            <Anchor component={Link} to={`/protocols/${i.protocolId}`} size="sm">
                              {i.code}
                            </Anchor>
                          ) : (
                            i.protocolId
                          )}
                        </Table.Td>
                        <Table.Td>{i.animalName ?? t('app.none')}</Table.Td>
                        <Table.Td>
                          <BulkItemBadge status={i.status} />
                        </Table.Td>
                        <Table.Td>{i.reason ?? t('app.none')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
            {data && data.total > data.pageSize && <Pagination total={Math.ceil(data.total / data.pageSize)} value={page} onChange={setPage} />}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryTab entity="bulk_run" entityId={r.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
