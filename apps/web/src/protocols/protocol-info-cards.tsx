import { Badge, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ProtocolDetail } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatAge } from './format';
import { Field } from './protocol-header';

/** Animal, owner, samples with panels, and the vet's notes. */
export function ProtocolInfoCards({ protocol: p }: { protocol: ProtocolDetail }) {
  const { t, locale } = useI18n();
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
      <InfoCard title={t('protocol.animal')}>
        <Field label={t('protocol.name')}>{p.animalName}</Field>
        <Group grow align="flex-start">
          <Field label={t('protocol.species')}>{t(`species.${p.species}`)}</Field>
          <Field label={t('protocol.sex')}>{t(`sex.${p.sex}`)}</Field>
        </Group>
        <Group grow align="flex-start">
          <Field label={t('protocol.breed')}>{p.breed ?? t('app.none')}</Field>
          <Field label={t('protocol.age')}>{formatAge(t, locale, p.ageMonths)}</Field>
        </Group>
      </InfoCard>
      <InfoCard title={t('protocol.owner')}>
        <Field label={t('protocol.name')}>{p.ownerName}</Field>
        <Field label={t('protocol.phone')}>{p.ownerPhone ?? t('app.none')}</Field>
        <Field label={t('protocol.email')}>{p.ownerEmail ?? t('app.none')}</Field>
      </InfoCard>
      <InfoCard title={t('protocol.samples')}>
        <List size="sm" spacing={2}>
          {p.samples.map((s) => (
            <List.Item key={s.type}>{t('protocol.sampleCount', { count: s.count, type: t(`sampleType.${s.type}`) })}</List.Item>
          ))}
        </List>
        <Field label={t('protocol.panels')}>
          <Group gap={4} mt={4}>
            {p.panels.map((panel) => (
              <Badge key={panel.id} variant="default" tt="none" title={panel.code}>
                {panel.name}
              </Badge>
            ))}
          </Group>
        </Field>
      </InfoCard>
      <InfoCard title={t('protocol.notes')}>
        {p.notes ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {p.notes}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('protocol.noNotes')}
          </Text>
        )}
      </InfoCard>
    </SimpleGrid>
  );
}

function InfoCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md">
      <Title order={5} mb="xs">
        {title}
      </Title>
      <Stack gap="xs">{children}</Stack>
    </Card>
  );
}
