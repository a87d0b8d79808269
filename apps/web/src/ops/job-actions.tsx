import { Button, Group } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OpsJobRow } from '@vetlab/shared';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { notifySuccess } from '../notifications/notify';
import { ConfirmButton } from './confirm-button';
import { JobAction, jobAction, opsKeys } from './ops-api';
import { notifyOpsError } from './ops-errors';

const COLORS: Record<JobAction, string> = { retry: 'blue', discard: 'red', promote: 'grape', hand_back: 'orange' };

/** The actions the API offers on this job now (`row.actions`); discarding asks first. */
export function JobActions({ job }: { job: OpsJobRow }) {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const run = useMutation({
    mutationFn: (action: JobAction) => jobAction(api, job.id, action),
    onSuccess: (_r, action) => notifySuccess(t(`ops.action.done.${action}`)),
    onError: (e) => notifyOpsError(t, e),
    onSettled: () => void qc.invalidateQueries({ queryKey: opsKeys.all }),
  });
  if (job.actions.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap">
      {job.actions.map((action) =>
        action === 'discard' ? (
          <ConfirmButton
            key={action}
            size="compact-xs"
            variant="light"
            color={COLORS[action]}
            disabled={run.isPending}
            label={t('ops.action.discard')}
            question={t('ops.discard.confirm', { label: job.label })}
            onConfirm={() => run.mutate(action)}
            data-testid="job-discard"
          />
        ) : (
          <Button
            key={action}
            size="compact-xs"
            variant="light"
            color={COLORS[action]}
            loading={run.isPending && run.variables === action}
            disabled={run.isPending}
            onClick={() => run.mutate(action)}
            data-testid={`job-${action}`}
          >
            {t(`ops.action.${action}`)}
          </Button>
        ),
      )}
    </Group>
  );
}
