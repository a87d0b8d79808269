import { Box, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { BulkProgressEvent, BulkRunView, Page } from '@vetlab/shared';
import { useEffect, useState } from 'react';
import { useLive, useLiveEvent } from '../app/live';
import { useApi } from '../app/providers';
import { useI18n } from '../i18n/i18n';
import { bulkCounts } from './bulk-counts';
import { pushNotification } from '../notifications/notification-store';
import { notifyError } from '../notifications/notify';
import { actionLabel, activeRuns, bulkKeys, bulkNoticeIds, cancelRun, getRun } from './bulk-api';
import { BulkProgressCard } from './bulk-progress-card';

type Completed = BulkProgressEvent & { cancelled: number };

/** A progress event merged into a run view (counts only: the rest comes from the API). */
export function withProgress(run: BulkRunView, e: BulkProgressEvent | Completed): BulkRunView {
  if (e.done < run.done) return run; // a late event never moves a run backwards
  const next: BulkRunView = { ...run, done: e.done, total: e.total, succeeded: e.succeeded, skipped: e.skipped, failed: e.failed, etaSeconds: e.etaSeconds };
  if ('cancelled' in e) Object.assign(next, { cancelled: e.cancelled, state: e.cancelled || run.cancelRequested ? 'cancelled' : 'completed', etaSeconds: null });
  else if (run.state === 'queued') next.state = 'running';
  return next;
}

/**
 * Every admin sees the bulk runs in progress, whoever started them: a panel with one card per run,
 * fed by `bulk:progress`, resynchronised from `GET /api/bulk?active=true` on mount (a reload) and
 * on every reconnection. `bulk:completed` leaves the final card and a notification in the bell.
 * Mounted once, in the layout, for admins.
 */
export function BulkTracker() {
  const api = useApi();
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const { status } = useLive();
  const active = useQuery({ queryKey: bulkKeys.active, queryFn: () => activeRuns(api) });
  const [finished, setFinished] = useState<BulkRunView[]>([]);

  useEffect(() => {
    if (status === 'connected') void qc.invalidateQueries({ queryKey: bulkKeys.active });
  }, [qc, status]);

  useLiveEvent('bulk:progress', (e) => {
    const page = qc.getQueryData<Page<BulkRunView>>(bulkKeys.active);
    // A run this tab has not heard of yet (another admin started it): ask the API about it.
    if (!page?.items.some((r) => r.id === e.bulkId)) void qc.invalidateQueries({ queryKey: bulkKeys.active });
    else qc.setQueryData<Page<BulkRunView>>(bulkKeys.active, { ...page, items: page.items.map((r) => (r.id === e.bulkId ? withProgress(r, e) : r)) });
    qc.setQueryData<BulkRunView>(bulkKeys.run(e.bulkId), (r) => (r ? withProgress(r, e) : r));
  });

  useLiveEvent('bulk:completed', (e: Completed) => {
    const page = qc.getQueryData<Page<BulkRunView>>(bulkKeys.active);
    const cached = page?.items.find((r) => r.id === e.bulkId);
    if (page && cached) qc.setQueryData<Page<BulkRunView>>(bulkKeys.active, { ...page, items: page.items.filter((r) => r.id !== e.bulkId) });
    // A short run may end before this tab ever listed it: the API knows its outcome.
    const outcome = cached ? Promise.resolve(withProgress(cached, e)) : getRun(api, e.bulkId);
    void outcome
      .then((run) => {
        setFinished((list) => [run, ...list.filter((r) => r.id !== run.id)].slice(0, 5));
        const title = e.cancelled ? t('bulk.done.cancelled') : t('bulk.done.title');
        const message = t('bulk.done.message', { action: t(actionLabel(run.action)), counts: bulkCounts(t, locale, e, true) });
        const color = e.failed ? 'orange' : 'teal';
        pushNotification({ id: `bulk-${e.bulkId}`, title, message, color, action: { label: t('bulk.details'), to: `/bulk/${e.bulkId}` } });
        // The outcome takes the place of "processing", which may still be on screen after a short run.
        notifications.hide(bulkNoticeIds.started(e.bulkId));
        notifications.show({ id: bulkNoticeIds.done(e.bulkId), title, message, color, autoClose: 8000 });
      })
      .catch(() => undefined);
    void qc.invalidateQueries({ queryKey: ['bulk', 'list'] });
    void qc.invalidateQueries({ queryKey: ['bulk', 'items'] });
    void qc.invalidateQueries({ queryKey: bulkKeys.run(e.bulkId) });
    void qc.invalidateQueries({ queryKey: ['protocols'] });
    void qc.invalidateQueries({ queryKey: ['protocol'] });
  });

  const cancel = (id: string) =>
    void cancelRun(api, id)
      .then((run) => qc.setQueryData<Page<BulkRunView>>(bulkKeys.active, (p) => (p ? { ...p, items: p.items.map((r) => (r.id === id ? run : r)) } : p)))
      .catch((err: unknown) => notifyError(t, err));

  // A finished card wins over a list fetched just before the run ended.
  const runs = [...(active.data?.items ?? []).filter((r) => !finished.some((f) => f.id === r.id)), ...finished];
  if (!runs.length) return null;
  return (
    <Box pos="fixed" bottom={16} left={226} style={{ zIndex: 300 }} data-testid="bulk-panel">
      <Stack gap="xs">
        {runs.map((run) => (
          <BulkProgressCard key={run.id} run={run} onCancel={() => cancel(run.id)} onClose={() => setFinished((l) => l.filter((r) => r.id !== run.id))} />
        ))}
      </Stack>
    </Box>
  );
}
