import { Button, Group, Modal, NumberInput, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { QueueName } from '@vetlab/shared';
import { useState } from 'react';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { notifySuccess } from '../notifications/notify';
import { opsKeys, pauseQueue } from './ops-api';
import { opsErrorMessage } from './ops-errors';

export const DEFAULT_PAUSE_MINUTES = 30;

/** Pausing asks why (the banner tells every admin) and for how long (a forgotten pause ends by itself). */
export function PauseModal({ queue, label, opened, onClose }: { queue: QueueName; label: string; opened: boolean; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<number | string>(DEFAULT_PAUSE_MINUTES);
  const [touched, setTouched] = useState(false);
  const reasonOk = reason.trim().length >= 3;
  const minutesOk = typeof minutes === 'number' && Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440;
  const pause = useMutation({
    mutationFn: () => pauseQueue(api, queue, { reason: reason.trim(), minutes: minutes as number }),
    onSuccess: () => {
      notifySuccess(t('ops.pause.done', { queue: label }));
      setReason('');
      setMinutes(DEFAULT_PAUSE_MINUTES);
      setTouched(false);
      onClose();
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: opsKeys.all }),
  });
  const submit = () => {
    setTouched(true);
    if (reasonOk && minutesOk) pause.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('ops.pause.title', { queue: label })} centered>
      <Stack gap="sm">
        <Text size="sm">{t('ops.pause.body')}</Text>
        <Textarea
          label={t('ops.pause.reason')}
          required
          rows={2}
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={touched && !reasonOk ? t('ops.pause.reasonShort') : undefined}
          data-autofocus
        />
        <NumberInput
          label={t('ops.pause.minutes')}
          min={1}
          max={1440}
          allowDecimal={false}
          value={minutes}
          onChange={setMinutes}
          error={touched && !minutesOk ? t('ops.pause.minutesRange') : undefined}
        />
        {pause.isError && (
          <Text size="sm" c="red.8" role="alert">
            {opsErrorMessage(t, pause.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button color="orange" loading={pause.isPending} onClick={submit} data-testid="pause-confirm">
            {t('ops.pause')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
