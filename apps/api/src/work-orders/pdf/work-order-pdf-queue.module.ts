import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '../../jobs/queues';
import { WorkOrderPdfJobsService } from './work-order-pdf-jobs.service';
import { WorkOrderPdfQueueService } from './work-order-pdf-queue.service';

/** Both roles: the `work-order-pdfs` queue, its producer and the one-job-per-version rule. */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.WorkOrderPdfs })],
  providers: [WorkOrderPdfQueueService, WorkOrderPdfJobsService],
  exports: [WorkOrderPdfQueueService, WorkOrderPdfJobsService],
})
export class WorkOrderPdfQueueModule {}
