import { Badge, Card, Divider, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import type { WorkOrderView } from '@vetlab/shared';
import { useT } from '../i18n/i18n';
import { WorkOrderEditor } from '../work-orders/work-order-editor';
import { WorkOrderPdfButton } from '../work-orders/work-order-pdf';
import { useFormatters } from './format';
import { useWorkOrder } from './protocol-queries';
import { LoadError } from '../app/load-error';

/** The bench's view of a protocol: sections with their sample and analytes; the lab may edit it. */
export function WorkOrderPanel({ workOrderId, editable }: { workOrderId: string; editable: boolean }) {
  const query = useWorkOrder(workOrderId);
  if (query.isPending) return <Skeleton height={160} radius="md" />;
  if (query.isError) {
    return (
      <LoadError title="workOrder.loadError" error={query.error} onRetry={() => query.refetch()} />
    );
  }
  return (
    <Stack gap="md">
      <WorkOrderDetails workOrder={query.data} />
      {editable && (
        <>
          <Divider />
          <WorkOrderEditor workOrder={query.data} />
        </>
      )}
    </Stack>
  );
}

function WorkOrderDetails({ workOrder: wo }: { workOrder: WorkOrderView }) {
  const t = useT();
  const fmt = useFormatters();
  return (
    <Stack gap="sm" data-testid="work-order">
      <Group justify="space-between">
        <Group gap="xs">
          <Badge variant="outline" data-testid="work-order-version">
            {t('workOrder.contentVersion', { n: wo.contentVersion })}
          </Badge>
          <Text size="sm" c="dimmed">
            {t('workOrder.updatedAt', { date: fmt.dateTime(wo.updatedAt) })}
          </Text>
        </Group>
        <WorkOrderPdfButton workOrder={wo} />
      </Group>
      <Card withBorder radius="md" padding="sm">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
          {t('workOrder.instructions')}
        </Text>
        <Text size="sm" c={wo.instructions ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
          {wo.instructions ?? t('workOrder.noInstructions')}
        </Text>
      </Card>
      {wo.sections.length === 0 && <Text c="dimmed">{t('workOrder.noSections')}</Text>}
      {wo.sections.map((s) => (
        <Card key={s.section} withBorder radius="md" padding="sm" data-testid="work-order-section" data-section={s.section}>
          <Group justify="space-between" align="flex-start" mb={6}>
            <Title order={5}>{t(`section.${s.section}`)}</Title>
            <Badge variant="light" color="gray" tt="none">
              {t(`sampleType.${s.sampleType}`)}
            </Badge>
          </Group>
          <Text size="sm">
            <Text span fw={600}>
              {t('workOrder.sample')}:
            </Text>{' '}
            {s.requirement}
          </Text>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600} mt="xs" mb={4}>
            {t('workOrder.analytes', { count: s.analytes.length })}
          </Text>
          <Group gap={6}>
            {s.analytes.map((a) => (
              <Badge key={a.code} variant="default" tt="none" fw={500} title={a.code}>
                <Text span ff="monospace" size="xs" fw={700}>
                  {a.code}
                </Text>{' '}
                {a.name}
              </Badge>
            ))}
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
