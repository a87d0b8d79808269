import { Button } from '@mantine/core';
import { FINISHED_JOB_STATES } from '@vetlab/shared';
import type { JobEvent, JobView, ServerToClientEvents, WorkOrderPdfAccepted, WorkOrderView } from '@vetlab/shared';
import { useCallback, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { useLive } from '../app/live';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { PdfViewer } from '../pdf/pdf-viewer';
import type { OnPdfPending, PdfPending } from '../pdf/use-pdf-document';
import type { LiveSocket } from '../realtime/live-socket';

export const workOrderPdfPath = (workOrderId: string) => `/work-orders/${workOrderId}/pdf`;


/**
 * While the server renders a work order (202), fetch it again as soon as it is ready: on
 * `work-order-pdf:ready` for that work order, on the job's end, or — after a reconnect, or if the job
 * ended before we listened — when the jobs API says it is over. Returns the unsubscribe.
 */
export function followWorkOrderPdf(api: ApiClient, socket: LiveSocket | null, { accepted, retry }: PdfPending): () => void {
  const body = accepted as Partial<WorkOrderPdfAccepted> | null;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    stop();
    retry();
  };
  const onReady: ServerToClientEvents['work-order-pdf:ready'] = (e) => {
    if (e.workOrderId === body?.workOrderId) finish();
  };
  const onJob = (e: JobEvent) => {
    if (e.jobId === body?.jobId) finish();
  };
  const check = () => {
    if (!body?.jobId) return;
    api
      .get<JobView>(`/jobs/${encodeURIComponent(body.jobId)}`)
      .then((j) => FINISHED_JOB_STATES.includes(j.state) && finish())
      .catch(() => undefined);
  };
  socket?.on('work-order-pdf:ready', onReady);
  socket?.on('job:completed', onJob);
  socket?.on('job:failed', onJob);
  socket?.on('connect', check);
  function stop() {
    socket?.off('work-order-pdf:ready', onReady);
    socket?.off('job:completed', onJob);
    socket?.off('job:failed', onJob);
    socket?.off('connect', check);
  }
  check();
  return () => {
    done = true;
    stop();
  };
}

/** "PDF" button of a work order: the in-app viewer, which opens the PDF by itself once it is rendered. */
export function WorkOrderPdfButton({ workOrder }: { workOrder: Pick<WorkOrderView, 'id' | 'protocolCode' | 'contentVersion'> }) {
  const t = useT();
  const api = useApi();
  const { socket } = useLive();
  const [open, setOpen] = useState(false);
  const onPending = useCallback<OnPdfPending>((pending) => followWorkOrderPdf(api, socket, pending), [api, socket]);
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpen(true)} data-testid="work-order-pdf">
        {t('workOrder.pdf')}
      </Button>
      <PdfViewer
        path={open ? workOrderPdfPath(workOrder.id) : null}
        title={t('workOrder.pdfTitle', { code: workOrder.protocolCode, n: workOrder.contentVersion })}
        filename={`orden-de-trabajo-${workOrder.protocolCode}-v${workOrder.contentVersion}.pdf`}
        onClose={() => setOpen(false)}
        onPending={onPending}
      />
    </>
  );
}
