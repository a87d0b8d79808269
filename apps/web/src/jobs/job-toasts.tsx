import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { NotificationData } from '@mantine/notifications';
import { JobState, ReportJobStage } from '@vetlab/shared';
import type { MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';
import type { NewNotification } from '../notifications/notification-store';
import { phaseOf, TrackedJob } from './job-store';

const STAGES = new Set<string>(Object.values(ReportJobStage));

/** One toast per report: a retry updates the same toast instead of stacking a new one. */
export const toastId = (job: TrackedJob) => `job-${job.reportId}`;
/** One bell item per job: every attempt's outcome is kept. */
export const bellId = (job: TrackedJob) => `job-${job.jobId}`;

export function stageLabel(t: Translate, job: TrackedJob): string {
  if (job.stage && STAGES.has(job.stage)) return t(`jobs.stage.${job.stage}` as MessageKey);
  return job.state === JobState.Queued ? t('jobs.stage.queued') : t('jobs.stage.working');
}

const percent = (job: TrackedJob) => Math.round(Math.min(100, Math.max(0, job.progress)));

/** What changes what the toast shows; equal keys mean no update is needed. */
export const toastKey = (job: TrackedJob) => [job.jobId, job.state, percent(job), job.stage, job.version, job.failedReason, job.waitingFor].join('|');

export interface ToastActions {
  onViewPdf: (job: TrackedJob) => void;
  onRetry: (job: TrackedJob) => void;
  onClose: (job: TrackedJob) => void;
}

/** The Mantine notification of a job (strings already translated: toasts render outside the i18n tree's updates). */
export function jobToast(t: Translate, job: TrackedJob, actions: ToastActions): NotificationData & { id: string } {
  const base = { id: toastId(job), autoClose: false as const, withCloseButton: true, onClose: () => actions.onClose(job) };
  const phase = phaseOf(job.state);
  if (phase === 'running') {
    return {
      ...base,
      color: 'blue',
      loading: true,
      title: t('jobs.generating'),
      message: (
        <Stack gap={4} data-testid="job-toast" data-state="running">
          <Text size="xs">{t('jobs.progress', { stage: stageLabel(t, job), percent: percent(job) })}</Text>
          <Progress value={percent(job)} animated size="sm" aria-label={t('notifications.progress')} />
          {job.waitingFor && (
            <Text size="xs" c="orange.9" data-testid="job-waiting">
              {t(`jobs.waitingFor.${job.waitingFor}`)}
            </Text>
          )}
        </Stack>
      ),
    };
  }
  if (phase === 'ready') {
    return {
      ...base,
      color: 'teal',
      loading: false,
      title: t('jobs.ready'),
      message: (
        <Group gap="sm" justify="space-between" wrap="nowrap" data-testid="job-toast" data-state="ready">
          <Text size="sm">{job.version !== null ? t('jobs.readyMessage', { n: job.version }) : t('jobs.readyNoVersion')}</Text>
          {job.version !== null && (
            <Button size="compact-sm" variant="light" onClick={() => actions.onViewPdf(job)}>
              {t('jobs.viewPdf')}
            </Button>
          )}
        </Group>
      ),
    };
  }
  return {
    ...base,
    color: 'red',
    loading: false,
    title: t('jobs.failed'),
    message: (
      <Group gap="sm" justify="space-between" wrap="nowrap" data-testid="job-toast" data-state="failed">
        <Text size="sm">{job.failedReason || t('jobs.failedUnknown')}</Text>
        <Button size="compact-sm" variant="light" color="red" onClick={() => actions.onRetry(job)}>
          {t('jobs.retry')}
        </Button>
      </Group>
    ),
  };
}

/** The bell's item for a job: progress while it runs, then its outcome with the same button as the toast. */
export function jobBellItem(t: Translate, job: TrackedJob, actions: ToastActions): NewNotification & { id: string } {
  const phase = phaseOf(job.state);
  if (phase === 'running') {
    const message = job.waitingFor ? `${stageLabel(t, job)} · ${t(`jobs.waitingFor.${job.waitingFor}`)}` : stageLabel(t, job);
    return { id: bellId(job), title: t('jobs.generating'), message, progress: percent(job), color: 'blue' };
  }
  if (phase === 'ready') {
    return {
      id: bellId(job),
      title: t('jobs.ready'),
      message: job.version !== null ? t('jobs.readyMessage', { n: job.version }) : t('jobs.readyNoVersion'),
      progress: null,
      color: 'teal',
      ...(job.version !== null && { action: { label: t('jobs.viewPdf'), onClick: () => actions.onViewPdf(job) } }),
    };
  }
  return {
    id: bellId(job),
    title: t('jobs.failed'),
    message: job.failedReason || t('jobs.failedUnknown'),
    progress: null,
    color: 'red',
    action: { label: t('jobs.retry'), onClick: () => actions.onRetry(job) },
  };
}
