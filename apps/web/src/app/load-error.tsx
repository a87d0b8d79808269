import { Alert, Button, Group, Text } from '@mantine/core';
import type { MessageKey } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import { errorMessage } from '../notifications/notify';

/** What a failed query shows: what could not be loaded, why, and a retry. */
export function LoadError({ title, error, onRetry }: { title: MessageKey; error: unknown; onRetry: () => unknown }) {
  const t = useT();
  return (
    <Alert color="red" title={t(title)} role="alert">
      <Group justify="space-between">
        <Text size="sm">{errorMessage(t, error)}</Text>
        <Button size="xs" variant="light" color="red" onClick={() => void onRetry()}>
          {t('app.retry')}
        </Button>
      </Group>
    </Alert>
  );
}
