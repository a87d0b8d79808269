import { Alert, Anchor, Badge, Button, EmptyState, Group, Loader, Pagination, Table, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { availableActions, Page, ProtocolStatus, ProtocolSummary } from '@vetlab/shared';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { PRIORITY_COLOR, PRIORITY_KEY, SPECIES_KEY } from '../intake/enum-labels';
import { errorMessage } from '../notifications/notify';
import { ActionButtons, RejectProtocolModal } from './action-buttons';
import type { ActionTarget } from './protocol-actions';

export const INTAKE_PAGE_SIZE = 25;
type QueueStatus = typeof ProtocolStatus.Submitted | typeof ProtocolStatus.Received;
const TABS: QueueStatus[] = [ProtocolStatus.Submitted, ProtocolStatus.Received];

/** Oldest first: what waits longest in this state goes first (receivedAt for received samples). */
export const queueQuery = (status: QueueStatus, page: number, pageSize = INTAKE_PAGE_SIZE) => ({
  status,
  page,
  pageSize,
  sort: status === ProtocolStatus.Received ? 'receivedAt' : 'createdAt',
});

/** Route /intake (staff, admin): samples to receive and received samples waiting for analysis. */
export function IntakeQueuePage() {
  const { t } = useI18n();
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status: QueueStatus = params.get('tab') === ProtocolStatus.Received ? ProtocolStatus.Received : ProtocolStatus.Submitted;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [rejecting, setRejecting] = useState<ActionTarget | null>(null);

  // Keys start with 'protocols', so a protocol:updated event (which invalidates them) refreshes all of this.
  const list = useQuery({
    queryKey: ['protocols', 'intake', queueQuery(status, page)],
    queryFn: () => api.get<Page<ProtocolSummary>>('/protocols', queueQuery(status, page)),
    // Keep the previous page on screen while the next loads, but never another tab's rows (their buttons would act on them).
    placeholderData: (previous, previousQuery) =>
      (previousQuery?.queryKey[2] as { status?: string } | undefined)?.status === status ? keepPreviousData(previous) : undefined,
  });
  const countQueries = useQueries({
    queries: TABS.map((s) => ({
      queryKey: ['protocols', 'intake-count', s],
      queryFn: () => api.get<Page<ProtocolSummary>>('/protocols', queueQuery(s, 1, 1)),
    })),
  });
  const counts = Object.fromEntries(TABS.map((s, i) => [s, countQueries[i].data?.total])) as Record<QueueStatus, number | undefined>;

  const setTab = (tab: string | null) => setParams(tab === ProtocolStatus.Received ? { tab } : {});
  const setPage = (p: number) => setParams({ ...(status === ProtocolStatus.Received ? { tab: status } : {}), page: String(p) });
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <section aria-labelledby="intake-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} id="intake-title">
          {t('intake.title')}
        </Title>
        {list.isFetching && <Loader size="xs" aria-label={t('app.loading')} />}
      </Group>
      <Tabs value={status} onChange={setTab} mb="md">
        <Tabs.List>
          {TABS.map((s) => (
            <Tabs.Tab
              key={s}
              value={s}
              rightSection={
                counts[s] !== undefined && (
                  <Badge size="sm" variant={s === status ? 'filled' : 'light'} circle={counts[s] < 10} data-testid={`count-${s}`}>
                    {counts[s]}
                  </Badge>
                )
              }
            >
              {t(s === ProtocolStatus.Submitted ? 'intake.tab.submitted' : 'intake.tab.received')}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>

      {list.isError && (
        <Alert color="red" role="alert" title={t('intake.loadFailed')} mb="md">
          <Group gap="sm">
            <Text size="sm">{errorMessage(t, list.error)}</Text>
            <Button size="compact-sm" variant="light" onClick={() => void list.refetch()}>
              {t('app.retry')}
            </Button>
          </Group>
        </Alert>
      )}
      {list.isLoading && (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      )}
      {data && data.items.length === 0 && (
        <EmptyState
          title={t('intake.empty')}
          description={t(status === ProtocolStatus.Submitted ? 'intake.emptySubmitted' : 'intake.emptyReceived')}
          py="xl"
        />
      )}
      {data && data.items.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="xs" aria-labelledby="intake-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('intake.col.code')}</Table.Th>
                <Table.Th>{t('intake.col.priority')}</Table.Th>
                <Table.Th>{t('intake.col.animal')}</Table.Th>
                <Table.Th>{t('intake.col.clinic')}</Table.Th>
                <Table.Th>{t(status === ProtocolStatus.Received ? 'intake.col.receivedAt' : 'intake.col.submittedAt')}</Table.Th>
                <Table.Th>{t('intake.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((p) => (
                <QueueRow key={p.id} protocol={p} onReject={setRejecting} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <RejectProtocolModal target={rejecting} onClose={() => setRejecting(null)} />
      {data && pages > 1 && (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {t('intake.pageOf', { page, pages, total: data.total })}
          </Text>
          <Pagination
            total={pages}
            value={page}
            onChange={setPage}
            getControlProps={(control) => ({ 'aria-label': t(control === 'next' ? 'intake.nextPage' : control === 'previous' ? 'intake.prevPage' : control === 'first' ? 'intake.firstPage' : 'intake.lastPage') })}
          />
        </Group>
      )}
    </section>
  );
}

function QueueRow({ protocol: p, onReject }: { protocol: ProtocolSummary; onReject: (target: ActionTarget) => void }) {
  const { t, locale } = useI18n();
  const when = p.status === ProtocolStatus.Received && p.receivedAt ? p.receivedAt : p.createdAt;
  const codeId = `code-${p.id}`;
  return (
    <Table.Tr data-testid="protocol-row" data-protocol-id={p.id} data-status={p.status}>
      <Table.Td id={codeId} style={NOWRAP}>
        <Anchor component={Link} to={`/protocols/${p.id}`} ff="monospace" size="sm">
          {p.code}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Badge color={PRIORITY_COLOR[p.priority]} variant={p.priority === 'routine' ? 'outline' : 'filled'} size="sm">
          {t(PRIORITY_KEY[p.priority])}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={500}>
          {p.animalName}{' '}
          <Text span size="xs" c="dimmed">
            ({t(SPECIES_KEY[p.species])})
          </Text>
        </Text>
        <Text size="xs" c="dimmed">
          {p.ownerName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{p.clinic.name}</Text>
        {p.vet && (
          <Text size="xs" c="dimmed">
            {p.vet.name}
          </Text>
        )}
      </Table.Td>
      <Table.Td style={NOWRAP}>
        <Text size="sm">{formatDateTime(when, locale)}</Text>
      </Table.Td>
      <Table.Td>
        <ActionButtons
          target={{ id: p.id, code: p.code, version: p.version }}
          actions={availableActions(p.status)}
          describedBy={codeId}
          onReject={onReject}
        />
      </Table.Td>
    </Table.Tr>
  );
}

const NOWRAP = { whiteSpace: 'nowrap' } as const;

const formatDateTime = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
