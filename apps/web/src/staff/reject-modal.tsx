import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { RejectRequest } from '@vetlab/shared';
import { useState } from 'react';
import { useT } from '../i18n/i18n';
import { issueMessage, serverFieldErrors } from '../intake/form-errors';

interface Props {
  opened: boolean;
  code: string;
  busy: boolean;
  onClose: () => void;
  /** Resolves when the protocol was rejected; rejects with the API error otherwise. */
  onReject: (reason: string) => Promise<unknown>;
}

/** A rejection needs a reason the vet will read (3–500 characters, checked with the shared schema). */
export function RejectModal({ opened, code, busy, onClose, onReject }: Props) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setReason('');
    setError(null);
    onClose();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const input = { reason };
    const parsed = RejectRequest.safeParse(input);
    if (!parsed.success) return setError(issueMessage(t, parsed.error.issues[0], input));
    try {
      await onReject(parsed.data.reason);
      close();
    } catch (err) {
      const mapped = serverFieldErrors(t, err);
      if (mapped?.fields.reason) setError(mapped.fields.reason);
      else close();
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('intake.reject.title', { code })} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('intake.reject.explain')}</Text>
          <Textarea
            label={t('intake.reject.reason')}
            description={t('intake.reject.reasonHint', { n: reason.trim().length })}
            withAsterisk
            autosize
            minRows={3}
            maxLength={500}
            data-autofocus
            value={reason}
            error={error}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('app.cancel')}
            </Button>
            <Button type="submit" color="red" loading={busy}>
              {t('intake.reject.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
