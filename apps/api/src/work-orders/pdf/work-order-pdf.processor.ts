import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JobsService } from '../../jobs/jobs.service';
import { QueueName, WorkOrderPdfJobName, WorkOrderPdfPriority } from '../../jobs/queues';
import { WorkOrderPdfJobData } from './interfaces/work-order-pdf-job.interface';
import { WorkOrderPdfPipelineService } from './work-order-pdf-pipeline.service';

/**
 * Worker role only. Two renders in flight per worker: one can be stored while the next renders in
 * the pool, where a waiting person's render goes ahead of pre-renders and finalize renders.
 */
@Processor(QueueName.WorkOrderPdfs)
export class WorkOrderPdfProcessor {
  private readonly log = new Logger(WorkOrderPdfProcessor.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly pipeline: WorkOrderPdfPipelineService,
  ) {}

  @Process({ name: WorkOrderPdfJobName.Render, concurrency: 2 })
  async render(job: Job<WorkOrderPdfJobData>) {
    const priority = job.opts.priority === WorkOrderPdfPriority.Interactive ? 'interactive' : 'background';
    let requestedBy: string | null = null;
    const result = await this.jobs.run(job, (ctx) => {
      requestedBy = ctx.createdById;
      return this.pipeline.render(job.data, ctx, priority);
    });
    // Events are the fast path: a failure to send one is logged, never a failed job.
    await this.pipeline.announce(job.data, requestedBy).catch((e: Error) => this.log.warn(`work-order-pdf:ready for job ${job.id} not sent: ${e.message}`));
    return result;
  }

  /** Bull fails a job that stalled too often (its workers kept dying) without running it. */
  @OnQueueFailed()
  async onFailed(job: Job<WorkOrderPdfJobData>, error: Error) {
    if (!/stalled more than allowable limit/.test(error?.message ?? '')) return;
    await this.jobs.failFromQueue(job, error.message).catch((e: Error) => this.log.error(`job ${job.id}: ${e.message}`));
  }
}
