import { Button, Card, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AmendReportRequest, ReportVersionStatus, Role } from '@vetlab/shared';
import type { AnnulReportVersionRequest } from '@vetlab/shared';
import type { AnnulReportVersionAccepted, ReportVersionView, ReportView } from '@vetlab/shared';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/api-client';
import { useApi, useSession } from '../app/providers';
import { useT } from '../i18n/i18n';
import type { Translate } from '../i18n/i18n';
import { errorMessage, notifySuccess } from '../notifications/notify';

/** Why a correction or an annulment was refused: the SPA's own text for the API's stable code. */
export function lifeErrorMessage(t: Translate, error: unknown): string {
  if (error instanceof ApiError && error.status === 400) return t('life.reasonInvalid');
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

interface ReasonModalProps {
  opened: boolean;
  onClose: () => void;
  title: string;
  body: string;
  confirm: string;
  color?: string;
  testId: string;
  reportId: string;
  /** Sends the trimmed reason; says which version to show then, and what to tell the user. */
  send: (reason: string) => Promise<{ open: number; done: string }>;
  onOpened: (n: number) => void;
  /** Extra fields between the reason and the buttons. */
  children?: ReactNode;
}

/** A modal that asks a reason (the shared schema judges it before anything is sent), then sends it. */
function ReasonModal({ opened, onClose, title, body, confirm, color, testId, reportId, send, onOpened, children }: ReasonModalProps) {
  const t = useT();
  const qc = useQueryClient();
  // Either way the report changed (or someone else changed it): show what it is now.
  const reload = () => qc.invalidateQueries({ queryKey: ['report', reportId] });
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = reasonProblem(t, reason);
  const mutation = useMutation({
    mutationFn: () => send(reason.trim()),
    onSuccess: async ({ open, done }) => {
      notifySuccess(done);
      setReason('');
      setTouched(false);
      await reload();
      onOpened(open);
      onClose();
    },
    onError: () => void reload(),
  });
  const submit = () => {
    setTouched(true);
    if (!problem) mutation.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <Stack gap="sm">
        <Text size="sm">{body}</Text>
        <ReasonField value={reason} onChange={setReason} error={touched ? problem : null} />
        {children}
        {mutation.isError && (
          <Text size="sm" c="red.8" role="alert">
            {lifeErrorMessage(t, mutation.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('app.cancel')}
          </Button>
          <Button color={color} loading={mutation.isPending} onClick={submit} data-testid={testId}>
            {confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AmendModal({ report, opened, onClose, onOpened }: { report: ReportView; opened: boolean; onClose: () => void; onOpened: (n: number) => void }) {
  const t = useT();
  const api = useApi();
  const send = async (reason: string) => {
    const draft = await amendReport(api, report.id, { reason });
    return { open: draft.number, done: t('life.amended', { n: draft.number }) };
  };
  return (
    <ReasonModal
      opened={opened}
      onClose={onClose}
      title={t('life.amendTitle', { n: report.versions[0]?.number ?? 0 })}
      body={t('life.amendBody')}
      confirm={t('life.amendConfirm')}
      testId="amend-confirm"
      reportId={report.id}
      send={send}
      onOpened={onOpened}
    />
  );
}

function AnnulModal(props: { report: ReportView; version: ReportVersionView; opened: boolean; onClose: () => void; onOpened: (n: number) => void }) {
  const { report, version, opened, onClose, onOpened } = props;
  const t = useT();
  const api = useApi();
  const [retest, setRetest] = useState(false);
  const send = async (reason: string) => {
    const accepted = await annulVersion(api, report.id, version.number, { reason, retest });
    setRetest(false);
    return { open: accepted.retestVersion ?? version.number, done: t('life.annulled', { n: version.number }) };
  };
  return (
    <ReasonModal
      opened={opened}
      onClose={onClose}
      title={t('life.annulTitle', { n: version.number })}
      body={t('life.annulBody')}
      confirm={t('life.annulConfirm')}
      color="red"
      testId="annul-confirm"
      reportId={report.id}
      send={send}
      onOpened={onOpened}
    >
      <Checkbox label={t('life.retest')} description={t('life.retestHelp')} checked={retest} onChange={(e) => setRetest(e.currentTarget.checked)} data-testid="annul-retest" />
    </ReasonModal>
  );
}
