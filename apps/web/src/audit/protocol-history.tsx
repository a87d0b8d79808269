import { Stack, Title } from '@mantine/core';
import type { ProtocolDetail } from '@vetlab/shared';
import { useT } from '../i18n/i18n';
import { HistoryTab } from './history-tab';

/** A protocol's page's history: the report's (its versions' finalizes, corrections, annulments), the protocol's and the work order's. */
export function ProtocolHistory({ protocol }: { protocol: Pick<ProtocolDetail, 'id' | 'reportId' | 'workOrderId'> }) {
  const t = useT();
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={4}>{t('audit.history.report')}</Title>
        <HistoryTab entity="report" entityId={protocol.reportId} />
      </Stack>
      <Stack gap="xs">
        <Title order={4}>{t('audit.history.protocol')}</Title>
        <HistoryTab entity="protocol" entityId={protocol.id} />
      </Stack>
      <Stack gap="xs">
        <Title order={4}>{t('audit.history.workOrder')}</Title>
        <HistoryTab entity="work_order" entityId={protocol.workOrderId} />
      </Stack>
    </Stack>
  );
}
