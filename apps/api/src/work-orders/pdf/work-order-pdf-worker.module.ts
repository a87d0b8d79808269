import { Module } from '@nestjs/common';
import { JobKind } from '@vetlab/shared';
import { JobWorkers } from '../../jobs/job-workers.service';
import { WorkOrderPdfPriority } from '../../jobs/queues';
import { WorkOrderPdfPipelineService } from './work-order-pdf-pipeline.service';
import { WorkOrderPdfQueueModule } from './work-order-pdf-queue.module';
import { WorkOrderPdfSweepService } from './work-order-pdf-sweep.service';

/**
 * Worker role: runs the work-order renders and removes old versions' files. Two renders in flight
 * per worker: one can be stored while the next renders in the pool, where a waiting person's render
 * goes ahead of pre-renders and finalize renders.
 */
@Module({
  imports: [WorkOrderPdfQueueModule],
  providers: [WorkOrderPdfPipelineService, WorkOrderPdfSweepService],
})
export class WorkOrderPdfWorkerModule {
  constructor(workers: JobWorkers, pipeline: WorkOrderPdfPipelineService) {
    workers.register({
      kind: JobKind.WorkOrderPdf,
      concurrency: 2,
      run: (data, ctx) => pipeline.render(data, ctx, ctx.priority === WorkOrderPdfPriority.Interactive ? 'interactive' : 'background'),
      completed: (data, requestedBy) => pipeline.announce(data, requestedBy),
    });
  }
}
