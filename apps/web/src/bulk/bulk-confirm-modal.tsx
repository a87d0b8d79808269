import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { ProtocolAction } from '@vetlab/shared';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { errorMessage } from '../notifications/notify';
import { actionLabel } from './bulk-api';

interface Props {
  action: ProtocolAction | null;
  count: number;
  onClose: () => void;
  /** Resolves once the API accepted the run; rejects with its error otherwise. */
  onConfirm: (reason: string | undefined) => Promise<unknown>;
}

/** "Apply to N protocols?": a rejection asks for the reason the clinics will read. */
export function BulkConfirmModal({ action, count, onClose, onConfirm }: Props) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const reject = action === 'reject';

  const close = () => {
    setReason('');
    setReasonError(null);
    setError(null);
    onClose();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (reject && reason.trim().length < 3) return setReasonError(t('bulk.confirm.reasonShort'));
    setBusy(true);
    setError(null);
    try {
      await onConfirm(reject ? reason.trim() : undefined);
      setReason('');
      setReasonError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={action !== null} onClose={close} title={plural(t, locale, 'bulk.confirm.title', count)} centered>
      {action && (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm">
            <Text size="sm">{t('bulk.confirm.body', { action: t(actionLabel(action)) })}</Text>
            {reject && (
              <Textarea
                label={t('bulk.confirm.reason')}
                description={t('bulk.confirm.reasonHint')}
                value={reason}
                onChange={(ev) => setReason(ev.currentTarget.value)}
                error={reasonError}
                maxLength={500}
                minRows={3}
                data-autofocus
                required
              />
            )}
            {error != null && (
              <Alert color="red" title={t('bulk.startError')} role="alert">
                {errorMessage(t, error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('app.cancel')}
              </Button>
              <Button type="submit" color={reject ? 'red' : 'teal'} loading={busy} data-testid="bulk-confirm">
                {t('bulk.confirm.go')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
