import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { WorkOrderPdfPipelineService } from './work-order-pdf-pipeline.service';
import { WorkOrderPdfProcessor } from './work-order-pdf.processor';
import { WorkOrderPdfQueueModule } from './work-order-pdf-queue.module';
import { WorkOrderPdfQueueService } from './work-order-pdf-queue.service';
import { WorkOrderPdfSweepService } from './work-order-pdf-sweep.service';

/** Worker role: runs the `work-order-pdfs` queue, recovers its stranded jobs, removes old versions' files. */
@Module({
  imports: [WorkOrderPdfQueueModule],
  providers: [WorkOrderPdfProcessor, WorkOrderPdfPipelineService, WorkOrderPdfSweepService],
})
export class WorkOrderPdfWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queue: WorkOrderPdfQueueService) {}

  onApplicationBootstrap() {
    return this.queue.connected();
  }
}
