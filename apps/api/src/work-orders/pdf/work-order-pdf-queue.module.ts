import { Module } from '@nestjs/common';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';
import { WorkOrderPdfRepository } from './work-order-pdf.repository';

/** Both roles: the one-job-per-version rule of work-order renders, and the one writer of their rows. */
@Module({
  providers: [WorkOrderPdfJobsService, WorkOrderPdfRepository],
  exports: [WorkOrderPdfJobsService, WorkOrderPdfRepository],
})
export class WorkOrderPdfQueueModule {}
