/** Payload of a `work-order-pdfs` job: which content version of which work order to render. */
export interface WorkOrderPdfJobData {
  workOrderId: string;
  version: number;
}
