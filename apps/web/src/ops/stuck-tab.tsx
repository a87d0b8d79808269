import { Alert, Anchor, Badge, Center, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { LoadError } from '../app/load-error';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { JobActions } from './job-actions';
import { JobStateBadge } from './job-state-badge';
import { useRefetchOnChange } from './jobs-tab';
import { durationLabel, kindLabel, queueLabel } from './labels';
import { listStuck, opsKeys } from './ops-api';

/** Work that should have moved and did not: why, for how long, the limit it passed, and "hand back". */
export function StuckTab({ countsKey }: { countsKey: string }) {
  const t = useT();
  const api = useApi();
  const stuck = useQuery({ queryKey: opsKeys.stuck, queryFn: () => listStuck(api) });
  const refetch = stuck.refetch;
  useRefetchOnChange(countsKey, () => void refetch());

  if (stuck.isPending)
    return (
      <Center p="lg">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  if (stuck.isError) return <LoadError title="ops.stuck.loadError" error={stuck.error} onRetry={() => stuck.refetch()} />;
  if (stuck.data.length === 0)
    return (
      <Alert color="teal" variant="light" data-testid="stuck-empty">
        {t('ops.stuck.empty')}
      </Alert>
    );
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table withTableBorder verticalSpacing="xs" data-testid="ops-stuck">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('ops.col.subject')}</Table.Th>
            <Table.Th>{t('ops.col.state')}</Table.Th>
            <Table.Th>{t('ops.col.reason')}</Table.Th>
            <Table.Th>{t('ops.col.for')}</Table.Th>
            <Table.Th>{t('ops.col.limit')}</Table.Th>
            <Table.Th>{t('ops.col.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stuck.data.map(({ job, reason, forMs, limitMs }) => (
            <Table.Tr key={job.id} data-testid="stuck-job">
              <Table.Td>
                {job.link ? (
                  <Anchor component={Link} to={job.link} size="sm">
                    {job.label}
                  </Anchor>
                ) : (
                  <Text size="sm">{job.label}</Text>
                )}
                <Text size="xs" c="dimmed">
                  {queueLabel(t, job.queue)} · {kindLabel(t, job.kind)}
                </Text>
              </Table.Td>
              <Table.Td>
                <JobStateBadge state={job.state} />
              </Table.Td>
              <Table.Td>
                <Badge color={reason === 'too_long' ? 'orange' : 'red'} variant="light" tt="none">
                  {t(`ops.stuck.${reason}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{durationLabel(t, forMs)}</Table.Td>
              <Table.Td>{limitMs == null ? t('app.none') : durationLabel(t, limitMs)}</Table.Td>
              <Table.Td>
                <JobActions job={job} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
