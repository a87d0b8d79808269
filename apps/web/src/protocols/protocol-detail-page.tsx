import { Anchor, Button, EmptyState, Skeleton, Stack, Tabs } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Role } from '@vetlab/shared';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { useLiveEvent } from '../app/live';
import { useSession } from '../app/providers';
import { useT } from '../i18n/i18n';
import { IntakeActions } from '../staff/intake-actions';
import { useProtocol } from './protocol-queries';
import { ProtocolHeader } from './protocol-header';
import { ProtocolInfoCards } from './protocol-info-cards';
import { ReportPanel } from './report-panel';
import { WorkOrderPanel } from './work-order-panel';
import { LoadError } from '../app/load-error';
import { ProtocolHistory } from '../audit/protocol-history';

type Tab = 'work-order' | 'report' | 'history';

/** /protocols/:id — header, the submission's cards, and the work order and report in tabs (?tab=). */
export function ProtocolDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const session = useSession();
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const query = useProtocol(id);
  const isLab = session?.user.role === Role.Staff || session?.user.role === Role.Admin;

  // The list refreshes itself on protocol:updated; this page's own keys are ours to refresh.
  useLiveEvent('protocol:updated', (e) => {
    if (e.protocolId !== id) return;
    void qc.invalidateQueries({ queryKey: ['protocol', id] });
    if (query.data) void qc.invalidateQueries({ queryKey: ['report', query.data.reportId] });
  });
  useLiveEvent('report:ready', (e) => {
    if (e.protocolId === id) void qc.invalidateQueries({ queryKey: ['report', e.reportId] });
  });

  const back = (
    <Anchor component={Link} to="/protocols" size="sm">
      ← {t('protocol.back')}
    </Anchor>
  );

  if (query.isPending) {
    return (
      <Stack gap="md" aria-busy>
        {back}
        <Skeleton height={120} radius="md" />
        <Skeleton height={160} radius="md" />
      </Stack>
    );
  }
  if (query.isError) {
    // A malformed id is as absent as a missing one, and another clinic's protocol answers 404 too.
    const absent = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <Stack gap="md">
        {back}
        {absent ? (
          <EmptyState mt="xl" title={t('protocol.notFound')} description={t('protocol.notFoundHint')} data-testid="protocol-not-found">
            <EmptyState.Actions>
              <Button component={Link} to="/protocols" variant="light">
                {t('protocol.back')}
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <LoadError title="protocol.loadError" error={query.error} onRetry={() => query.refetch()} />
        )}
      </Stack>
    );
  }

  const protocol = query.data;
  const asked = params.get('tab');
  // The history is the lab's: a vet's ?tab=history opens the work order.
  const tab: Tab = asked === 'report' ? 'report' : asked === 'history' && isLab ? 'history' : 'work-order';
  const setTab = (next: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (next === 'report' || next === 'history') p.set('tab', next);
        else p.delete('tab');
        return p;
      },
      { replace: true },
    );

  return (
    <Stack gap="md">
      {back}
      <ProtocolHeader protocol={protocol} actions={isLab ? <IntakeActions protocol={protocol} /> : undefined} />
      <ProtocolInfoCards protocol={protocol} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="work-order">{t('protocol.tab.workOrder')}</Tabs.Tab>
          <Tabs.Tab value="report">{t('protocol.tab.report')}</Tabs.Tab>
          {isLab && (
            <Tabs.Tab value="history" data-testid="history-tab">
              {t('audit.tab.history')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="work-order" pt="md">
          <WorkOrderPanel workOrderId={protocol.workOrderId} editable={isLab} />
        </Tabs.Panel>
        <Tabs.Panel value="report" pt="md">
          <ReportPanel protocol={protocol} isLab={isLab} />
        </Tabs.Panel>
        {isLab && (
          <Tabs.Panel value="history" pt="md">
            <ProtocolHistory protocol={protocol} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
