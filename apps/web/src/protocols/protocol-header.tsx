import { Alert, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ProtocolDetail } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n';
import { useFormatters } from './format';
import { PriorityBadge, StatusBadge } from './status-badge';

/** Code, status and who/when of a protocol; `actions` is where the lab's status buttons go. */
export function ProtocolHeader({ protocol: p, actions }: { protocol: ProtocolDetail; actions?: ReactNode }) {
  const t = useT();
  const fmt = useFormatters();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Group gap="sm" align="center">
            <Title order={2} ff="monospace" data-testid="protocol-code">
              {p.code}
            </Title>
            <StatusBadge status={p.status} size="lg" />
            <PriorityBadge priority={p.priority} size="lg" />
          </Group>
          {actions}
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
          <Field label={t('protocol.clinic')}>{p.clinic.name}</Field>
          <Field label={t('protocol.vet')}>{p.vet?.name ?? t('app.none')}</Field>
          <Field label={t('protocol.createdAt')}>{fmt.dateTime(p.createdAt)}</Field>
          <Field label={t('protocol.receivedAt')}>
            {fmt.dateTime(p.receivedAt)}
            {p.receivedBy && (
              <Text span c="dimmed" size="sm">
                {' '}
                {t('protocol.receivedBy', { name: p.receivedBy.name })}
              </Text>
            )}
          </Field>
        </SimpleGrid>
        {p.rejectionReason && (
          <Alert color="red" variant="light" title={t('protocol.rejectionReason')} data-testid="rejection-reason">
            {p.rejectionReason}
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}

/** A label over a value; shared by the detail's cards. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </div>
  );
}
