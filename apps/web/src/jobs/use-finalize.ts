import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { notifyError } from '../notifications/notify';
import { jobStore, JobStore } from './job-store';
import { startFinalize } from './job-sync';

/** "Finalizar informe": POST finalize and hand the job to the tracker (the layout's JobTracker shows it). */
export function useFinalizeReport(store: JobStore = jobStore) {
  const api = useApi();
  const t = useT();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reportId: string) => startFinalize(api, store, reportId),
    // The version is now `finalizing`: the panel must stop offering edits.
    onSuccess: (accepted) => void qc.invalidateQueries({ queryKey: ['report', accepted.reportId] }),
    onError: (err) => {
      notifyError(t, err, t('jobs.finalizeError'));
      // A 409 usually means someone else changed the report: show what it is now.
      void qc.invalidateQueries({ queryKey: ['report'] });
    },
  });
}
