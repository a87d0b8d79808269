import { Alert, Button, Card, EmptyState, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { EDITABLE_VERSION_STATUSES, RELEASED_VERSION_STATUSES, Role } from '@vetlab/shared';
import type { ProtocolDetail, ReportPdfAccepted, ReportVersionView, ReportView } from '@vetlab/shared';
import { useCallback, useState } from 'react';
import { useLive } from '../app/live';
import { useApi, useSession } from '../app/providers';
import { useT } from '../i18n/i18n';
import { phaseOf, useReportJob } from '../jobs/job-store';
import { useFinalizeReport } from '../jobs/use-finalize';
import { followPdfJob } from '../pdf/follow-pdf-job';
import { PdfViewer } from '../pdf/pdf-viewer';
import type { OnPdfPending } from '../pdf/use-pdf-document';
import { ResultEntry } from '../results/result-entry';
import { ReportLifeBar } from '../results/report-life-actions';
import { useFormatters } from './format';
import { useReport } from './protocol-queries';
import { ResultRowsTable } from './result-rows-table';
import { ReportStatusBadge } from './status-badge';
import { LoadError } from '../app/load-error';
import { MailPanel } from './mail-panel';


export const reportPdfPath = (reportId: string, n: number) => `/reports/${reportId}/versions/${n}/pdf`;

/** The version to show first: the lab lands on the draft it works on; everyone else on the newest. */
export function initialVersion(report: ReportView, isLab: boolean): number | null {
  const editable = isLab ? report.versions.find((v) => EDITABLE_VERSION_STATUSES.includes(v.status)) : undefined;
  return (editable ?? report.versions[0])?.number ?? null;
}

/** Report versions (newest first), the results of the chosen one, PDFs, and result entry for the lab. */
export function ReportPanel({ protocol, isLab }: { protocol: ProtocolDetail; isLab: boolean }) {
  const t = useT();
  const query = useReport(protocol.reportId);
  const [chosen, setChosen] = useState<number | null>(null);
  const [pdf, setPdf] = useState<number | null>(null);
  const api = useApi();
  const { socket } = useLive();
  // A released version whose file is not stored (seeded data) renders first: open it once it is ready.
  const onPending = useCallback<OnPdfPending>(
    (pending) => {
      const version = (pending.accepted as Partial<ReportPdfAccepted> | null)?.version;
      return followPdfJob(api, socket, pending, 'report:ready', (e) => e.reportId === protocol.reportId && e.version === version);
    },
    [api, socket, protocol.reportId],
  );

  if (query.isPending) return <Skeleton height={200} radius="md" />;
  if (query.isError) {
    return (
      <LoadError title="report.loadError" error={query.error} onRetry={() => query.refetch()} />
    );
  }

  const report = query.data;
  if (report.versions.length === 0) {
    return <EmptyState title={t('report.none')} description={isLab ? t('report.noneStaff') : t('report.noneVet')} data-testid="report-empty" />;
  }
  const selected = report.versions.find((v) => v.number === chosen) ?? report.versions.find((v) => v.number === initialVersion(report, isLab))!;
  const editing = isLab && EDITABLE_VERSION_STATUSES.includes(selected.status);

  return (
    <Stack gap="md">
      <VersionsTable versions={report.versions} selected={selected.number} onSelect={setChosen} onPdf={setPdf} />
      {isLab && <FinalizeBar report={report} />}
      {isLab && <ReportLifeBar report={report} onOpened={setChosen} />}
      {selected.status === 'finalize_failed' && selected.failureReason && (
        <Alert color="red" variant="light" title={t('reportStatus.finalize_failed')}>
          {t('report.failure', { reason: selected.failureReason })}
        </Alert>
      )}
      {editing ? (
        <ResultEntry report={report} protocol={protocol} />
      ) : (
        <Card withBorder radius="md" padding="md">
          <Group justify="space-between" mb="sm">
            <Title order={4}>{t('report.results', { n: selected.number })}</Title>
            <ReportStatusBadge status={selected.status} />
          </Group>
          <VersionStamp v={selected} alert />
          <ResultRowsTable rows={selected.rows} />
          {selected.observations && (
            <Stack gap={2} mt="md">
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {t('report.observations')}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {selected.observations}
              </Text>
            </Stack>
          )}
        </Card>
      )}
      {isLab && <MailPanel reportId={report.id} />}
      <PdfViewer
        path={pdf === null ? null : reportPdfPath(report.id, pdf)}
        title={`${report.protocolCode} · ${t('report.version', { n: pdf ?? 0 })}`}
        filename={`${report.protocolCode}-v${pdf ?? 0}.pdf`}
        onClose={() => setPdf(null)}
        onPending={onPending}
      />
    </Stack>
  );
}

/** Signers (and admins) finalize the newest version once it is a complete draft, or again after a failure. */
function FinalizeBar({ report }: { report: ReportView }) {
  const t = useT();
  const session = useSession();
  const finalize = useFinalizeReport();
  const job = useReportJob(report.id);
  const newest = report.versions[0];
  const user = session?.user;
  if (!user || !(user.signer || user.role === Role.Admin) || !newest || !EDITABLE_VERSION_STATUSES.includes(newest.status)) return null;
  const running = finalize.isPending || (job !== undefined && phaseOf(job.state) === 'running');
  return (
    <Card withBorder radius="md" padding="sm" data-testid="finalize-bar">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" c={newest.complete ? undefined : 'orange.8'}>
          {newest.complete ? t('jobs.finalizeHint', { n: newest.number }) : t('jobs.finalizeIncomplete')}
        </Text>
        <Button disabled={!newest.complete} loading={running} onClick={() => finalize.mutate(report.id)} data-testid="finalize-report">
          {t('jobs.finalize')}
        </Button>
      </Group>
    </Card>
  );
}

/**
 * What happened to a released version since: "Sustituida por la versión n" for a superseded one,
 * "Anulada el … Motivo: …" for an annulled one (an alert above its results, a line in the list).
 */
function VersionStamp({ v, alert = false }: { v: ReportVersionView; alert?: boolean }) {
  const t = useT();
  const fmt = useFormatters();
  if (v.status === 'invalidated') {
    const text = t('report.annulledOn', { date: fmt.dateTime(v.invalidatedAt), who: v.invalidatedBy?.name ?? t('app.none') });
    if (alert) {
      return (
        <Alert color="red" variant="light" mb="sm" title={text} data-testid="version-annulled">
          {t('report.annulledReason', { reason: v.invalidationReason ?? '' })}
        </Alert>
      );
    }
    return (
      <Text size="xs" c="red.8" fw={600} maw={280} lineClamp={2} title={v.invalidationReason ?? undefined} data-testid="stamp-annulled">
        {text} · {t('report.annulledReason', { reason: v.invalidationReason ?? '' })}
      </Text>
    );
  }
  if (v.status === 'superseded' && v.supersededByNumber != null) {
    const text = t('report.supersededBy', { n: v.supersededByNumber });
    if (alert) {
      return (
        <Alert color="gray" variant="light" mb="sm" title={text} data-testid="version-superseded">
          {t('report.supersededHint')}
        </Alert>
      );
    }
    return (
      <Text size="xs" c="dark.4" fw={600} data-testid="stamp-superseded">
        {text}
      </Text>
    );
  }
  if (alert && v.amendReason && v.supersedesNumber != null) {
    return (
      <Text size="sm" c="dimmed" mb="sm" data-testid="version-amend-reason">
        {t('report.amendReason', { n: v.supersedesNumber, reason: v.amendReason })}
      </Text>
    );
  }
  return null;
}

interface VersionsProps {
  versions: ReportVersionView[];
  selected: number;
  onSelect: (n: number) => void;
  onPdf: (n: number) => void;
}

function VersionsTable({ versions, selected, onSelect, onPdf }: VersionsProps) {
  const t = useT();
  const fmt = useFormatters();
  return (
    <Card withBorder radius="md" padding={0}>
      <Title order={4} px="md" pt="sm" pb={4}>
        {t('report.versions')}
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing={6} highlightOnHover data-testid="report-versions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('report.col.version')}</Table.Th>
              <Table.Th>{t('report.col.status')}</Table.Th>
              <Table.Th>{t('report.col.signer')}</Table.Th>
              <Table.Th>{t('report.col.finalizedAt')}</Table.Th>
              <Table.Th>{t('report.col.createdAt')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => {
              const isSelected = v.number === selected;
              return (
                <Table.Tr key={v.id} data-testid="report-version" data-version={v.number} bg={isSelected ? 'teal.0' : undefined}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {t('report.version', { n: v.number })}
                    </Text>
                    {v.supersedesNumber != null && (
                      <Text size="xs" c="dimmed">
                        {t('report.supersedes', { n: v.supersedesNumber })}
                      </Text>
                    )}
                    <VersionStamp v={v} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <ReportStatusBadge status={v.status} />
                      {!v.complete && EDITABLE_VERSION_STATUSES.includes(v.status) && (
                        <Text size="xs" c="orange.8">
                          {t('report.incomplete')}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{v.signer?.name ?? t('app.none')}</Table.Td>
                  <Table.Td>{fmt.dateTime(v.finalizedAt)}</Table.Td>
                  <Table.Td>{fmt.dateTime(v.createdAt)}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant={isSelected ? 'filled' : 'default'} onClick={() => onSelect(v.number)} aria-pressed={isSelected}>
                        {isSelected ? t('report.showing') : t('report.show')}
                      </Button>
                      {RELEASED_VERSION_STATUSES.includes(v.status) && (
                        <Button size="compact-sm" variant="light" onClick={() => onPdf(v.number)}>
                          {t('report.viewPdf')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
