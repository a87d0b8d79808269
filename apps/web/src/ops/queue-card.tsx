import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QueueCard as QueueCardView, QueueCounts } from '@vetlab/shared';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { notifySuccess } from '../notifications/notify';
import { useFormatters } from '../protocols/format';
import { opsKeys, resumeQueue, retryFailedOf } from './ops-api';
import { notifyOpsError } from './ops-errors';
import { ConfirmButton } from './confirm-button';
import { PauseModal } from './pause-modal';
import { QueueCharts } from './queue-charts';
import { queueLabel } from './labels';

const COUNTS: { key: keyof QueueCounts; color?: string; state?: string }[] = [
  { key: 'waiting', state: 'queued' },
  { key: 'active', color: 'blue', state: 'active' },
  { key: 'delayed', state: 'retrying' },
  { key: 'failed', color: 'red', state: 'failed' },
  { key: 'completed', color: 'teal', state: 'completed' },
  { key: 'paused', color: 'orange' },
];

/**
 * Where a count leads: the jobs of that state; for mail (no job records, the outbox is its record)
 * the failed ones in the mail log.
 */
function countLink(queue: QueueCardView['queue'], key: keyof QueueCounts, state: string | undefined): string | null {
  if (queue === 'mail') return key === 'failed' ? '/ops?tab=mails&status=failed' : null;
  return state ? `/ops?tab=jobs&queue=${queue}&state=${state}` : null;
}

/** One queue at a glance: Bull's counts, pause, workers, the last hour, and the queue's actions. */
export function QueueCard({ card }: { card: QueueCardView }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  const fmt = useFormatters();
  const [pausing, setPausing] = useState(false);
  const label = queueLabel(t, card.queue);
  const refresh = () => void qc.invalidateQueries({ queryKey: opsKeys.all });
  const resume = useMutation({
    mutationFn: () => resumeQueue(api, card.queue),
    onSuccess: () => notifySuccess(t('ops.resume.done', { queue: label })),
    onError: (e) => notifyOpsError(t, e),
    onSettled: refresh,
  });
  const retryAll = useMutation({
    mutationFn: () => retryFailedOf(api, card.queue),
    onSuccess: ({ count }) => notifySuccess(plural(t, locale, 'ops.retryFailed.done', count)),
    onError: (e) => notifyOpsError(t, e),
    onSettled: refresh,
  });

  return (
    <Card withBorder radius="md" padding="md" data-testid={`queue-${card.queue}`} data-paused={card.pause ? 'true' : 'false'}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Title order={4}>{label}</Title>
          {card.pause ? (
            <Tooltip label={t('ops.pausedDetail', { reason: card.pause.reason, who: card.pause.pausedBy?.name ?? t('ops.someone'), until: fmt.time(card.pause.expiresAt) })} multiline w={260}>
              <Badge color="orange" variant="filled" data-testid="queue-paused">
                {t('ops.paused')}
              </Badge>
            </Tooltip>
          ) : (
            <Badge color="teal" variant="light">
              {t('ops.running')}
            </Badge>
          )}
        </Group>
        {card.pause && (
          <Text size="xs" c="orange.9" data-testid="queue-pause-detail">
            {t('ops.pausedDetail', { reason: card.pause.reason, who: card.pause.pausedBy?.name ?? t('ops.someone'), until: fmt.time(card.pause.expiresAt) })}
          </Text>
        )}
        <SimpleGrid cols={3} spacing={6} verticalSpacing={6}>
          {COUNTS.map(({ key, color, state }) => {
            const n = card.counts[key];
            const number = (
              <Text fw={700} size="lg" c={n > 0 ? color : 'dimmed'} data-testid={`count-${key}`}>
                {n.toLocaleString(locale)}
              </Text>
            );
            return (
              <div key={key}>
                <Text size="xs" c="dimmed">
                  {t(`ops.count.${key}`)}
                </Text>
                {n > 0 && countLink(card.queue, key, state) ? (
                  <Anchor component={Link} to={countLink(card.queue, key, state) as string} underline="never">
                    {number}
                  </Anchor>
                ) : (
                  number
                )}
              </div>
            );
          })}
        </SimpleGrid>
        <Group gap="xs">
          <Badge variant="default" tt="none">
            {plural(t, locale, 'ops.workers', card.workers)}
          </Badge>
          {card.renderThreads > 0 && (
            <Badge variant="default" tt="none">
              {plural(t, locale, 'ops.threads', card.renderThreads)}
            </Badge>
          )}
          {card.stuck > 0 && (
            <Anchor component={Link} to="/ops?tab=stuck" underline="never">
              <Badge color="red" variant="light" tt="none" data-testid="queue-stuck">
                {plural(t, locale, 'ops.stuckCount', card.stuck)}
              </Badge>
            </Anchor>
          )}
        </Group>
        <QueueCharts lastHour={card.lastHour} />
        <Group gap="xs">
          {card.pause ? (
            <Button size="xs" variant="light" color="teal" loading={resume.isPending} onClick={() => resume.mutate()} data-testid="queue-resume">
              {t('ops.resume')}
            </Button>
          ) : (
            <Button size="xs" variant="light" color="orange" onClick={() => setPausing(true)} data-testid="queue-pause">
              {t('ops.pause')}
            </Button>
          )}
          {card.counts.failed > 0 && card.queue !== 'mail' && (
            <ConfirmButton
              size="xs"
              variant="light"
              color="red"
              loading={retryAll.isPending}
              label={t('ops.retryFailed')}
              question={t('ops.retryFailed.confirm', { queue: label })}
              onConfirm={() => retryAll.mutate()}
              data-testid="queue-retry-failed"
            />
          )}
        </Group>
      </Stack>
      <PauseModal queue={card.queue} label={label} opened={pausing} onClose={() => setPausing(false)} />
    </Card>
  );
}
