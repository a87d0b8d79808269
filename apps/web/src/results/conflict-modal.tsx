import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';

interface Props {
  opened: boolean;
  /** What happened, in one sentence. */
  message: string;
  /** How many unsaved changes of this user are at stake. */
  pending: number;
  busy: boolean;
  discardLabel: string;
  keepLabel: string;
  onDiscard: () => void;
  onKeepMine: () => void;
  onClose: () => void;
}

/**
 * A save refused by the optimistic lock (409): somebody saved first. Instead of a bare error the
 * user chooses: take the other person's version, or reload it and put their own unsaved values back on top.
 */
export function ConflictModal({ opened, message, pending, busy, discardLabel, keepLabel, onDiscard, onKeepMine, onClose }: Props) {
  const { t, locale } = useI18n();
  return (
    <Modal opened={opened} onClose={onClose} title={t('conflict.title')} centered size="lg">
      <Stack>
        <Text>{message}</Text>
        <Text size="sm" c="dimmed">
          {plural(t, locale, 'conflict.pending', pending)}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDiscard} loading={busy}>
            {discardLabel}
          </Button>
          <Button onClick={onKeepMine} loading={busy}>
            {keepLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
