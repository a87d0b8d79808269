import { INestApplication } from '@nestjs/common';
import type { HotRoute } from '../../common/hot-routes';
import { sendWorkOrderPdf } from './work-order-pdf-response';
import { WorkOrderPdfController } from './work-order-pdf.controller';
import { WorkOrderPdfService } from './work-order-pdf.service';

/**
 * `GET /api/work-orders/:id/pdf` ahead of Nest's pipeline: the open vets repeat all day. A cached
 * open is a token check, one indexed lookup and bytes from memory; Nest's per-request pipeline cost
 * more than that. Same service and response as WorkOrderPdfController.pdf, which documents it.
 */
export function workOrderPdfHotRoute(app: INestApplication): HotRoute {
  const pdfs = app.get(WorkOrderPdfService, { strict: false });
  return {
    method: 'GET',
    prefix: 'work-orders',
    suffix: 'pdf',
    controller: { type: WorkOrderPdfController, method: 'pdf' },
    async handle(user, id, req, res) {
      await sendWorkOrderPdf(res, await pdfs.open(user, id, req.headers['if-none-match']));
    },
  };
}
