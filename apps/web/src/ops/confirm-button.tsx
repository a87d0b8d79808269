import { Button, ButtonProps, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useT } from '../i18n/i18n';

interface Props extends ButtonProps {
  label: string;
  /** The question the modal asks before anything happens. */
  question: string;
  onConfirm: () => void;
  'data-testid'?: string;
}

/** A button whose action waits for a "yes" in a modal (discard, retry a whole queue). */
export function ConfirmButton({ label, question, onConfirm, 'data-testid': testId, ...button }: Props) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)} data-testid={testId}>
        {label}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={label} centered>
        <Stack gap="md">
          <Text size="sm">{question}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              {t('app.cancel')}
            </Button>
            <Button
              color={button.color}
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
              data-testid={testId ? `${testId}-confirm` : undefined}
            >
              {label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
