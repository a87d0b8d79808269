import { Alert, Badge, Button, Group, Paper, Progress, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ProtocolDetail, ProtocolStatus, ReportVersionView, ReportView, UpdateResultsRequest } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-client';
import { useApi } from '../app/providers';
import type { MessageKey } from '../i18n/catalogue';
import { useI18n } from '../i18n/i18n';
import { plural } from '../i18n/plural';
import { isStale, issuesToErrors, serverFieldErrors } from '../intake/form-errors';
import { notifyError, notifySuccess } from '../notifications/notify';
import { ConflictModal } from './conflict-modal';
import { changedObservations, changedRows, editableVersion, Edits, isInvalidNumber, newer, progress, RowChange, withoutSaved } from './result-draft';
import { ResultTable } from './result-table';

/** Results may be typed once the protocol is in analysis (or reported, for a correcting draft). */
const OPEN: ProtocolStatus[] = [ProtocolStatus.InAnalysis, ProtocolStatus.Reported];

/**
 * Result entry for the current draft of a report: values with live flags, only changed rows saved,
 * the draft's lockVersion as optimistic lock and a 409 explained with a choice.
 */
export function ResultEntry({ report, protocol }: { report: ReportView; protocol: ProtocolDetail }) {
  const { t, locale } = useI18n();
  const api = useApi();
  const qc = useQueryClient();
  // The newest view of the draft we know: from the props, or from our own save/reload.
  const [fresh, setFresh] = useState<{ reportId: string; version: ReportVersionView | null } | null>(null);
  // While the user edits, the version they started from stays the base, so a save against a
  // version someone else has since changed is refused (409) rather than silently merged.
  const [pinned, setPinned] = useState<ReportVersionView | null>(null);
  const [edits, setEdits] = useState<Edits>({});
  const [observations, setObservations] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);

  const own = fresh?.reportId === report.id ? fresh : null;
  const latest = own && own.version === null ? null : newer(editableVersion(report), own?.version ?? null);
  const base = pinned ?? latest;
  const changes = base ? changedRows(base, edits) : [];
  const obsChange = base ? changedObservations(base, observations) : undefined;
  const pending = changes.length + (obsChange !== undefined ? 1 : 0);
  const dirty = pending > 0;

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = useMutation({
    mutationFn: (body: UpdateResultsRequest) => api.put<ReportVersionView>(`/reports/${report.id}/draft`, body),
  });

  if (!base) {
    return (
      <Text c="dimmed" size="sm" data-testid="result-entry-closed">
        {t('results.noDraft')}
      </Text>
    );
  }
  const readOnly = !OPEN.includes(protocol.status);
  const invalid = base.rows.some((r) => edits[r.analyteId] !== undefined && isInvalidNumber(r, edits[r.analyteId]));
  const { filled, total } = progress(base, edits);

  const edit = (analyteId: string, text: string) => {
    if (!pinned) setPinned(base);
    setEdits((e) => ({ ...e, [analyteId]: text }));
    setErrors(({ [analyteId]: _, ...rest }) => rest);
  };

  const rowPath = (sent: RowChange[]) => (path: string) => {
    const m = /^results\.(\d+)\.(value|rowId)$/.exec(path);
    if (m) return sent[Number(m[1])] ? sent[Number(m[1])].row.analyteId : null;
    return path === 'observations' ? 'observations' : null;
  };

  const submit = () => {
    if (!dirty || invalid || readOnly) return;
    const sent = changes;
    const body: UpdateResultsRequest = {
      lockVersion: base.lockVersion,
      results: sent.map((c) => ({ rowId: c.row.id, value: c.value })),
      ...(obsChange !== undefined ? { observations: obsChange } : {}),
    };
    const parsed = UpdateResultsRequest.safeParse(body);
    if (!parsed.success) return setErrors(issuesToErrors(t, parsed.error, body, rowPath(sent)).fields);
    save.mutate(body, {
      onSuccess: (saved) => {
        setFresh({ reportId: report.id, version: saved });
        setPinned(null);
        setEdits((e) => withoutSaved(e, sent));
        if (obsChange !== undefined) setObservations((o) => (o !== null && (o.trim() || null) === obsChange ? null : o));
        qc.setQueryData<ReportView>(['report', report.id], (old) =>
          old ? { ...old, versions: old.versions.map((v) => (v.id === saved.id ? saved : v)) } : old,
        );
        notifySuccess(sent.length === 0 ? t('results.savedNone') : plural(t, locale, 'results.saved', sent.length));
      },
      onError: (err) => {
        if (isStale(err)) return setConflict(true);
        const mapped = serverFieldErrors(t, err, rowPath(sent));
        if (mapped) {
          setErrors(mapped.fields);
          if (mapped.other.length) notifyError(t, new Error(mapped.other.join('; ')), t('results.saveFailed'));
          return;
        }
        notifyError(t, err, t('results.saveFailed'));
        // Not a draft any more (finalizing, finalized): show what the report is now.
        if (err instanceof ApiError && err.status === 409) void qc.invalidateQueries({ queryKey: ['report', report.id] });
      },
    });
  };

  const discard = () => {
    setEdits({});
    setObservations(null);
    setErrors({});
    setPinned(null);
  };

  /** Their version from the server; with keepMine, the user's unsaved values stay on top of it. */
  const reload = async (keepMine: boolean) => {
    setReloading(true);
    try {
      const current = await api.get<ReportView>(`/reports/${report.id}`);
      qc.setQueryData(['report', report.id], current);
      setFresh({ reportId: report.id, version: editableVersion(current) });
      setPinned(null);
      setErrors({});
      if (!keepMine) {
        setEdits({});
        setObservations(null);
      } else {
        notifySuccess(t('results.reapplied'));
      }
      setConflict(false);
    } catch (err) {
      notifyError(t, err);
    } finally {
      setReloading(false);
    }
  };

  return (
    <Stack gap="sm" data-result-entry data-testid="result-entry">
      <Group justify="space-between" align="flex-end">
        <Group gap="xs">
          <Title order={4}>{t('results.title', { n: base.number })}</Title>
          <Badge variant="light" color={base.status === 'finalize_failed' ? 'red' : 'gray'}>
            {t(`reportStatus.${base.status}` as MessageKey)}
          </Badge>
        </Group>
        <Stack gap={4} w={220}>
          <Text size="sm" ta="right" data-testid="result-progress">
            {plural(t, locale, 'results.progress', total, { filled })}
          </Text>
          <Progress value={total ? (filled / total) * 100 : 0} size="sm" aria-label={plural(t, locale, 'results.progress', total, { filled })} />
        </Stack>
      </Group>
      {base.status === 'finalize_failed' && base.failureReason && (
        <Alert color="red">{t('results.failure', { reason: base.failureReason })}</Alert>
      )}
      {readOnly && <Alert color="blue">{t(protocol.status === ProtocolStatus.Rejected ? 'results.rejected' : 'results.notStarted')}</Alert>}
      <ResultTable version={base} edits={edits} errors={errors} readOnly={readOnly} onChange={edit} />
      <Textarea
        label={t('results.observations')}
        autosize
        minRows={2}
        maxLength={4000}
        readOnly={readOnly}
        data-result-input
        value={observations ?? base.observations ?? ''}
        error={errors.observations}
        onChange={(e) => {
          if (!pinned) setPinned(base);
          setObservations(e.currentTarget.value);
        }}
      />
      {!readOnly && (
        // Buttons on the left: toasts pile up bottom right and would cover them.
        <Paper withBorder p="xs" pos="sticky" bottom={0} style={{ zIndex: 2 }} shadow={dirty ? 'sm' : undefined}>
          <Group gap="sm">
            <Button onClick={submit} disabled={!dirty || invalid} loading={save.isPending}>
              {t('results.save')}
            </Button>
            <Button variant="default" disabled={!dirty || save.isPending} onClick={discard}>
              {t('results.discard')}
            </Button>
            <Text size="sm" c={invalid ? 'red' : dirty ? undefined : 'dimmed'} data-testid="unsaved-count">
              {invalid
                ? t('results.fixInvalid')
                : dirty
                  ? plural(t, locale, 'results.unsaved', pending)
                  : t('results.allSaved')}
            </Text>
          </Group>
        </Paper>
      )}
      <ConflictModal
        opened={conflict}
        message={t('results.conflict')}
        pending={pending}
        busy={reloading}
        discardLabel={t('results.conflictTheirs')}
        keepLabel={t('results.conflictMine')}
        onDiscard={() => void reload(false)}
        onKeepMine={() => void reload(true)}
        onClose={() => setConflict(false)}
      />
    </Stack>
  );
}
