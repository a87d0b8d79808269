import { Anchor, Code, Drawer, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { OpsJobRow } from '@vetlab/shared';
import { Link } from 'react-router';
import { useT } from '../i18n/i18n';
import { useFormatters } from '../protocols/format';
import { JobActions } from './job-actions';
import { JobStateBadge } from './job-state-badge';
import { durationLabel, kindLabel, stageLabel } from './labels';

/** A job's whole story: its subject, stages with their timings, the last error, what Redis says. */
export function JobDetails({ job, onClose }: { job: OpsJobRow | null; onClose: () => void }) {
  const t = useT();
  const fmt = useFormatters();
  return (
    <Drawer opened={job !== null} onClose={onClose} position="right" size="lg" title={job ? t('ops.details.title', { id: job.id }) : ''}>
      {job && (
        <Stack gap="sm" data-testid="job-details">
          <Group gap="xs">
            <JobStateBadge state={job.state} />
            <Text size="sm">{kindLabel(t, job.kind)}</Text>
          </Group>
          <Title order={5}>{job.link ? <Anchor component={Link} to={job.link}>{job.label}</Anchor> : job.label}</Title>
          <Text size="xs" c="dimmed">
            {t('ops.details.times', { created: fmt.dateTime(job.createdAt), started: fmt.dateTime(job.startedAt), finished: fmt.dateTime(job.finishedAt) })}
          </Text>
          <Text size="xs" c="dimmed">
            {job.bullState ? t('ops.details.bullState', { state: job.bullState }) : t('ops.details.notInRedis')}
          </Text>
          <Title order={6}>{t('ops.details.stages')}</Title>
          {job.stages.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('ops.details.noStages')}
            </Text>
          ) : (
            <Table verticalSpacing={4} data-testid="job-stages">
              <Table.Tbody>
                {job.stages.map((s, i) => (
                  <Table.Tr key={`${s.stage}-${i}`}>
                    <Table.Td>{stageLabel(t, s.stage)}</Table.Td>
                    <Table.Td>{fmt.time(s.at)}</Table.Td>
                    <Table.Td ta="right">{s.ms == null ? t('app.none') : s.ms < 1000 ? `${s.ms} ms` : durationLabel(t, s.ms)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {job.failedReason && (
            <>
              <Title order={6}>{t('ops.details.lastError')}</Title>
              <Code block c="red.9" data-testid="job-error">
                {job.failedReason}
              </Code>
            </>
          )}
          <JobActions job={job} />
        </Stack>
      )}
    </Drawer>
  );
}
