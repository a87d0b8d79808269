import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import type { ReportView } from '@vetlab/shared';
import { useEffect, useRef, useState } from 'react';
import { useLive, useLiveEvent } from '../app/live';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { notificationStore, pushNotification } from '../notifications/notification-store';
import { notifyError } from '../notifications/notify';
import { PdfViewer } from '../pdf/pdf-viewer';
import { reportPdfPath } from '../protocols/report-panel';
import { JobPhase, jobStore, JobStore, phaseOf, TrackedJob } from './job-store';
import { resyncJobs, startFinalize } from './job-sync';
import { bellId, jobBellItem, jobToast, toastId, toastKey, ToastActions } from './job-toasts';

/**
 * Follows the user's report finalizations across pages: a toast per report with live progress, then
 * "ready" (open the PDF) or the failure (retry), and the outcome in the bell. Mounted once, in the layout.
 */
export function JobTracker({ store = jobStore }: { store?: JobStore }) {
  const api = useApi();
  const t = useT();
  const qc = useQueryClient();
  const { status } = useLive();
  const [viewing, setViewing] = useState<{ reportId: string; version: number } | null>(null);
  const rendered = useRef(new Map<string, string>());
  const phases = useRef(new Map<string, JobPhase>());

  useLiveEvent('job:progress', store.applyEvent);
  useLiveEvent('job:completed', store.applyEvent);
  useLiveEvent('job:failed', store.applyEvent);
  useLiveEvent('report:ready', store.reportReady);

  // Jobs are the truth, events the fast path: on mount (a reload) and on every (re)connection
  // ask the API, since events sent while the socket was down are lost.
  const synced = useRef(false);
  useEffect(() => {
    if ((status === 'connecting' || status === 'reconnecting') && synced.current) return;
    synced.current = true;
    // A failure here is not worth a toast, but it is tried again a few times: behind a load
    // balancer the socket may be back (through one API process) a moment before every request is.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tries = 0;
    const attempt = () =>
      resyncJobs(api, store).catch(() => {
        if (++tries < 5) timer = setTimeout(attempt, 500 * tries);
      });
    void attempt();
    return () => clearTimeout(timer);
  }, [api, store, status]);

  useEffect(() => {
    const actions: ToastActions = {
      onViewPdf: (job) => job.version !== null && setViewing({ reportId: job.reportId, version: job.version }),
      onRetry: (job) => void startFinalize(api, store, job.reportId).catch((err: unknown) => notifyError(t, err, t('jobs.finalizeError'))),
      onClose: (job) => store.dismiss(job.jobId),
    };
    const refreshReport = (job: TrackedJob) => {
      void qc.invalidateQueries({ queryKey: ['report', job.reportId] });
      void qc.invalidateQueries({ queryKey: ['protocol'] });
      void qc.invalidateQueries({ queryKey: ['protocols'] });
    };
    const sync = () => {
      const shown = new Set<string>();
      for (const job of store.getSnapshot()) {
        const id = toastId(job);
        shown.add(id);
        const key = toastKey(job);
        const before = rendered.current.get(id);
        if (before === undefined) notifications.show(jobToast(t, job, actions));
        else if (before !== key) notifications.update(jobToast(t, job, actions));
        rendered.current.set(id, key);

        const phase = phaseOf(job.state);
        const was = phases.current.get(job.jobId);
        phases.current.set(job.jobId, phase);
        const item = jobBellItem(t, job, actions);
        if (phase === 'running') {
          // The user's own click is not news: the bell shows progress without an unread mark.
          if (was === undefined) pushNotification({ ...item, read: true });
          else notificationStore.update(item.id, { message: item.message, progress: item.progress });
        } else if (was !== phase) {
          // An outcome seen live is news; one found on a reload was pushed before (or is stale).
          if (was === 'running') pushNotification({ ...item, read: false });
          else notificationStore.update(bellId(job), item);
          refreshReport(job);
        }
      }
      for (const id of [...rendered.current.keys()]) {
        if (!shown.has(id)) {
          rendered.current.delete(id);
          notifications.hide(id);
        }
      }
    };
    sync();
    return store.subscribe(sync);
  }, [api, qc, store, t]);

  // Another person may sign in next in this tab: never show them the previous session's jobs.
  useEffect(() => api.subscribe((session) => session === null && store.clear()), [api, store]);

  // The toasts belong to this frame: leaving it (sign-out) takes them away.
  useEffect(() => {
    const ids = rendered.current;
    return () => {
      for (const id of ids.keys()) notifications.hide(id);
      ids.clear();
    };
  }, []);

  const code = viewing ? qc.getQueryData<ReportView>(['report', viewing.reportId])?.protocolCode : undefined;
  const title = viewing ? t('jobs.pdfTitle', { n: viewing.version }) : '';
  return (
    <PdfViewer
      path={viewing ? reportPdfPath(viewing.reportId, viewing.version) : null}
      title={code ? `${code} · ${title}` : title}
      filename={`${code ?? 'informe'}-v${viewing?.version ?? 0}.pdf`}
      onClose={() => setViewing(null)}
    />
  );
}
