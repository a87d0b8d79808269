import { Button, Card, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AmendReportRequest, AnnulReportVersionRequest, ReportVersionStatus, Role } from '@vetlab/shared';
import type { AnnulReportVersionAccepted, ReportVersionView, ReportView } from '@vetlab/shared';
import { useState } from 'react';
import { ApiError } from '../api/api-client';
import { useApi, useSession } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { catalogue } from '../i18n/catalogue';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { errorMessage, notifySuccess } from '../notifications/notify';

/** Why a correction or an annulment was refused: the SPA's own text for the API's stable code. */
export function lifeErrorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `life.error.${error.body?.code ?? ''}`;
    if (key in catalogue) return t(key as MessageKey);
    if (error.status === 400) return t('life.reasonInvalid');
  }
  return errorMessage(t, error);
}

/** The reason as the API will judge it (the same shared schema), or null when it passes. */
function reasonProblem(t: Translate, reason: string): string | null {
  return AmendReportRequest.safeParse({ reason }).success ? null : t('life.reasonInvalid');
}

export const amendReport = (api: ReturnType<typeof useApi>, reportId: string, body: AmendReportRequest) =>
  api.post<ReportVersionView>(`/reports/${encodeURIComponent(reportId)}/amend`, body);

export const annulVersion = (api: ReturnType<typeof useApi>, reportId: string, n: number, body: AnnulReportVersionRequest) =>
  api.post<AnnulReportVersionAccepted>(`/reports/${encodeURIComponent(reportId)}/versions/${n}/annul`, body);

/**
 * A signer (or an admin) on a finalized report: "Corregir" (a reason, then the new draft opens) and
 * "Anular" (a reason, and whether to start a retest draft). Nothing for anyone else.
 */
export function ReportLifeBar({ report, onOpened }: { report: ReportView; onOpened: (n: number) => void }) {
  const t = useT();
  const session = useSession();
  const [open, setOpen] = useState<'amend' | 'annul' | null>(null);
  const user = session?.user;
  const newest = report.versions[0];
  if (!user || !(user.signer || user.role === Role.Admin) || newest?.status !== ReportVersionStatus.Finalized) return null;
  return (
    <Card withBorder radius="md" padding="sm" data-testid="report-life-bar">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm">{t('life.hint', { n: newest.number })}</Text>
        <Group gap="xs">
          <Button variant="default" onClick={() => setOpen('amend')} data-testid="amend-report">
            {t('life.amend')}
          </Button>
          <Button color="red" variant="light" onClick={() => setOpen('annul')} data-testid="annul-report">
            {t('life.annul')}
          </Button>
        </Group>
      </Group>
      <AmendModal report={report} opened={open === 'amend'} onClose={() => setOpen(null)} onOpened={onOpened} />
      <AnnulModal report={report} version={newest} opened={open === 'annul'} onClose={() => setOpen(null)} onOpened={onOpened} />
    </Card>
  );
}

function ReasonField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | null }) {
  const t = useT();
  return (
    <Textarea
      label={t('life.reason')}
      description={t('life.reasonHelp')}
      required
      autosize
      minRows={3}
      maxLength={500}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error ?? undefined}
      data-autofocus
      data-testid="life-reason"
    />
  );
}

function AmendModal({ report, opened, onClose, onOpened }: { report: ReportView; opened: boolean; onClose: () => void; onOpened: (n: number) => void }) {
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = reasonProblem(t, reason);
  const amend = useMutation({
    mutationFn: () => amendReport(api, report.id, { reason: reason.trim() }),
    onSuccess: async (draft) => {
      notifySuccess(t('life.amended', { n: draft.number }));
      setReason('');
      setTouched(false);
      await qc.invalidateQueries({ queryKey: ['report', report.id] });
      onOpened(draft.number);
      onClose();
    },
    onError: () => void qc.invalidateQueries({ queryKey: ['report', report.id] }),
  });
  const submit = () => {
    setTouched(true);
    if (!problem) amend.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('life.amendTitle', { n: report.versions[0]?.number ?? 0 })} centered>
      <Stack gap="sm">
        <Text size="sm">{t('life.amendBody')}</Text>
        <ReasonField value={reason} onChange={setReason} error={touched ? problem : null} />
        {amend.isError && (
          <Text size="sm" c="red.8" role="alert">
            {lifeErrorMessage(t, amend.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button loading={amend.isPending} onClick={submit} data-testid="amend-confirm">
            {t('life.amendConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AnnulModal(props: { report: ReportView; version: ReportVersionView; opened: boolean; onClose: () => void; onOpened: (n: number) => void }) {
  const { report, version, opened, onClose, onOpened } = props;
  const t = useT();
  const api = useApi();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [retest, setRetest] = useState(false);
  const [touched, setTouched] = useState(false);
  const problem = AnnulReportVersionRequest.safeParse({ reason, retest }).success ? null : t('life.reasonInvalid');
  const annul = useMutation({
    mutationFn: () => annulVersion(api, report.id, version.number, { reason: reason.trim(), retest }),
    onSuccess: async (accepted) => {
      notifySuccess(t('life.annulled', { n: version.number }));
      setReason('');
      setRetest(false);
      setTouched(false);
      await qc.invalidateQueries({ queryKey: ['report', report.id] });
      onOpened(accepted.retestVersion ?? version.number);
      onClose();
    },
    onError: () => void qc.invalidateQueries({ queryKey: ['report', report.id] }),
  });
  const submit = () => {
    setTouched(true);
    if (!problem) annul.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('life.annulTitle', { n: version.number })} centered>
      <Stack gap="sm">
        <Text size="sm">{t('life.annulBody')}</Text>
        <ReasonField value={reason} onChange={setReason} error={touched ? problem : null} />
        <Checkbox label={t('life.retest')} description={t('life.retestHelp')} checked={retest} onChange={(e) => setRetest(e.currentTarget.checked)} data-testid="annul-retest" />
        {annul.isError && (
          <Text size="sm" c="red.8" role="alert">
            {lifeErrorMessage(t, annul.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button color="red" loading={annul.isPending} onClick={submit} data-testid="annul-confirm">
            {t('life.annulConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
