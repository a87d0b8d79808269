import { Anchor, Button, CloseButton, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { isBulkRunOver, type BulkRunView } from '@vetlab/shared';
import { Link } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { bulkCounts } from './bulk-counts';
import { actionLabel } from './bulk-api';

interface Props {
  run: BulkRunView;
  onCancel?: () => void;
  onClose?: () => void;
}

/** One run's progress: bar, counts and ETA (the panel stacks one per active run). */
export function BulkProgressCard({ run, onCancel, onClose }: Props) {
  const { t, locale } = useI18n();
  const pct = run.total ? Math.round((100 * run.done) / run.total) : 100;
  const over = isBulkRunOver(run.state);
  return (
    <Paper withBorder shadow="md" p="sm" w={340} data-testid="bulk-progress" data-bulk-id={run.id} data-state={run.state}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600} size="sm" data-testid="bulk-progress-title">
            {t('bulk.panel.title', { action: t(actionLabel(run.action)), done: run.done, total: run.total })}
          </Text>
          {over && onClose && <CloseButton size="sm" aria-label={t('app.close')} onClick={onClose} />}
        </Group>
        <Progress value={pct} color={run.failed ? 'orange' : 'teal'} animated={!over} aria-label={t('bulk.col.progress')} data-testid="bulk-progress-bar" data-done={run.done} data-total={run.total} />
        <Text size="xs" data-testid="bulk-progress-counts">
          {bulkCounts(t, locale, run)}
        </Text>
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {over
              ? t(`bulk.state.${run.state}`)
              : run.cancelRequested
                ? t('bulk.cancelling')
                : run.etaSeconds != null
                  ? t('bulk.eta', { seconds: run.etaSeconds })
                  : t('bulk.etaUnknown')}
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/bulk/${run.id}`} size="xs">
              {t('bulk.details')}
            </Anchor>
            {!over && onCancel && !run.cancelRequested && (
              <Button size="compact-xs" variant="light" color="red" onClick={onCancel}>
                {t('bulk.cancel')}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}
