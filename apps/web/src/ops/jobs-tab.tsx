import { Alert, Anchor, Button, Center, Group, Loader, Pagination, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobKind, JobState, OpsJobRow, QueueName } from '@vetlab/shared';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { LoadError } from '../app/load-error';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { notifySuccess } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { ConfirmButton } from './confirm-button';
import { JobActions } from './job-actions';
import { JobDetails } from './job-details';
import { JobStateBadge } from './job-state-badge';
import { JOB_FILTERS, JobFilters, JobsFiltersBar } from './jobs-filters';
import { kindLabel, queueLabel, stageLabel } from './labels';
import { JobsQuery, listJobs, opsKeys, retryFailedOf } from './ops-api';
import { notifyOpsError } from './ops-errors';
import { useUrlFilters } from './use-url-filters';

export const JOBS_PAGE_SIZE = 25;

/** The URL's filters as the API's query (absent ones left out). */
export function toJobQuery(f: JobFilters, page: number): JobsQuery {
  return {
    page,
    pageSize: JOBS_PAGE_SIZE,
    ...(f.queue ? { queue: f.queue as QueueName } : {}),
    ...(f.state ? { state: f.state as JobState } : {}),
    ...(f.kind ? { kind: f.kind as JobKind } : {}),
    ...(f.subject ? { subject: f.subject } : {}),
    ...(f.createdBy ? { createdBy: f.createdBy } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
  };
}

/**
 * Refetches a list when the overview's counts changed (not on the first value, which the list was
 * fetched with). The overview is throttled already, so this refetches at most as often as it renders.
 */
export function useRefetchOnChange(signature: string, refetch: () => void) {
  const seen = useRef(signature);
  useEffect(() => {
    if (seen.current === signature) return;
    seen.current = signature;
    refetch();
  }, [signature, refetch]);
}

/** Jobs by state, filtered and paged, each with its subject, attempts, stages and actions. */
export function JobsTab({ countsKey }: { countsKey: string }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatters();
  const { value, page, set, filtered } = useUrlFilters(JOB_FILTERS);
  const query = toJobQuery(value, page);
  const jobs = useQuery({ queryKey: opsKeys.jobs(query), queryFn: () => listJobs(api, query), placeholderData: keepPreviousData });
  const [openId, setOpenId] = useState<string | null>(null);
  const refetch = jobs.refetch;
  useRefetchOnChange(countsKey, () => void refetch());
  const retryAll = useMutation({
    mutationFn: (queue: QueueName) => retryFailedOf(api, queue),
    onSuccess: ({ count }) => notifySuccess(plural(t, locale, 'ops.retryFailed.done', count)),
    onError: (e) => notifyOpsError(t, e),
    onSettled: () => void qc.invalidateQueries({ queryKey: opsKeys.all }),
  });
  const queue = value.queue as QueueName | null;
  const open: OpsJobRow | null = jobs.data?.items.find((j) => j.id === openId) ?? null;

  return (
    <Stack gap="md">
      <JobsFiltersBar value={value} onChange={set} />
      <Group justify="space-between">
        <Group gap="xs">
          {jobs.data && (
            <Text size="sm" c="dimmed" data-testid="jobs-total">
              {plural(t, locale, 'ops.jobs.total', jobs.data.total)}
            </Text>
          )}
          {jobs.isFetching && <Loader size="xs" aria-label={t('app.loading')} />}
        </Group>
        {queue && queue !== 'mail' && (
          <ConfirmButton
            size="xs"
            variant="light"
            color="red"
            loading={retryAll.isPending}
            label={`${t('ops.retryFailed')} · ${queueLabel(t, queue)}`}
            question={t('ops.retryFailed.confirm', { queue: queueLabel(t, queue) })}
            onConfirm={() => retryAll.mutate(queue)}
            data-testid="jobs-retry-failed"
          />
        )}
      </Group>
      {jobs.isPending && (
        <Center p="lg">
          <Loader aria-label={t('app.loading')} />
        </Center>
      )}
      {jobs.isError && <LoadError title="ops.jobs.loadError" error={jobs.error} onRetry={() => jobs.refetch()} />}
      {jobs.data && jobs.data.total === 0 && (
        <Alert color="gray" variant="light" data-testid="jobs-empty">
          {t(filtered ? 'ops.jobs.empty' : 'ops.jobs.emptyNone')}
        </Alert>
      )}
      {jobs.data && jobs.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table withTableBorder highlightOnHover verticalSpacing="xs" data-testid="ops-jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ops.col.subject')}</Table.Th>
                <Table.Th>{t('ops.col.state')}</Table.Th>
                <Table.Th>{t('ops.col.attempts')}</Table.Th>
                <Table.Th>{t('ops.col.created')}</Table.Th>
                <Table.Th>{t('ops.col.by')}</Table.Th>
                <Table.Th>{t('ops.col.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.data.items.map((j) => (
                <Table.Tr key={j.id} data-testid="ops-job" data-state={j.state}>
                  <Table.Td>
                    {j.link ? (
                      <Anchor component={Link} to={j.link} size="sm">
                        {j.label}
                      </Anchor>
                    ) : (
                      <Text size="sm">{j.label}</Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {queueLabel(t, j.queue)} · {kindLabel(t, j.kind)}
                      {j.stage && (j.state === 'active' || j.state === 'retrying') ? ` · ${stageLabel(t, j.stage)}` : ''}
                    </Text>
                    {j.failedReason && (
                      <Text size="xs" c="red.8" lineClamp={1} title={j.failedReason}>
                        {j.failedReason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td miw={120}>
                    <JobStateBadge state={j.state} />
                  </Table.Td>
                  <Table.Td>{j.attempts}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmt.dateTime(j.createdAt)}</Table.Td>
                  <Table.Td>{j.createdBy?.name ?? t('app.none')}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="compact-xs" variant="subtle" onClick={() => setOpenId(j.id)}>
                        {t('ops.details')}
                      </Button>
                      <JobActions job={j} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {jobs.data && jobs.data.total > jobs.data.pageSize && (
        <Pagination total={Math.ceil(jobs.data.total / jobs.data.pageSize)} value={page} onChange={(p) => set({ page: p })} />
      )}
      <JobDetails job={open} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
