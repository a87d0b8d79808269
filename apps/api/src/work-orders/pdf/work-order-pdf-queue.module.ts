import { Module } from '@nestjs/common';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';

/** Both roles: the one-job-per-version rule of work-order renders. */
@Module({
  providers: [WorkOrderPdfJobsService],
  exports: [WorkOrderPdfJobsService],
})
export class WorkOrderPdfQueueModule {}
