import { Button } from '@mantine/core';
import type { WorkOrderPdfAccepted, WorkOrderView } from '@vetlab/shared';
import { useCallback, useState } from 'react';
import type { ApiClient } from '../api/api-client';
import { useLive } from '../app/live';
import { useApi } from '../app/providers';
import { useT } from '../i18n/i18n';
import { followPdfJob } from '../pdf/follow-pdf-job';
import { PdfViewer } from '../pdf/pdf-viewer';
import type { OnPdfPending, PdfPending } from '../pdf/use-pdf-document';
import type { LiveSocket } from '../realtime/live-socket';

export const workOrderPdfPath = (workOrderId: string) => `/work-orders/${workOrderId}/pdf`;


/**
 * While the server renders a work order (202), fetch it again as soon as it is ready: on
 * `work-order-pdf:ready` for that work order, or whatever else ends the job (see followPdfJob).
 */
export function followWorkOrderPdf(api: ApiClient, socket: LiveSocket | null, pending: PdfPending): () => void {
  const body = pending.accepted as Partial<WorkOrderPdfAccepted> | null;
  return followPdfJob(api, socket, pending, 'work-order-pdf:ready', (e) => e.workOrderId === body?.workOrderId);
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
