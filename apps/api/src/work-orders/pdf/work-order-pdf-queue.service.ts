import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { whenQueueConnected } from '../../jobs/queue-connections';
import { QueueName, WorkOrderPdfJobName, WorkOrderPdfPriority } from '../../jobs/queues';
import { WorkOrderPdfJobData } from './interfaces/work-order-pdf-job.interface';

export type WorkOrderPdfPriority = (typeof WorkOrderPdfPriority)[keyof typeof WorkOrderPdfPriority];

/** The only producer of the `work-order-pdfs` queue. The Bull job id is always the JobRecord id. */
@Injectable()
export class WorkOrderPdfQueueService {
  constructor(@InjectQueue(QueueName.WorkOrderPdfs) private readonly queue: Queue<WorkOrderPdfJobData>) {}

  /** Adding an id that is already queued does nothing (Bull dedupes by job id). */
  async add(jobId: string, data: WorkOrderPdfJobData, priority: WorkOrderPdfPriority): Promise<void> {
    await this.queue.add(WorkOrderPdfJobName.Render, data, { jobId, priority });
  }

  /**
   * A person now waits for a job queued as a background pre-render: it goes to the front. Bull
   * cannot change a waiting job's priority, so it is removed and added again under the same id.
   * A job a worker already took cannot be removed (it is locked): then it is running anyway.
   */
  async promote(jobId: string, data: WorkOrderPdfJobData): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job) return this.add(jobId, data, WorkOrderPdfPriority.Interactive);
    if (job.opts.priority === WorkOrderPdfPriority.Interactive) return;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed') return;
    try {
      await job.remove();
    } catch {
      return; // taken by a worker meanwhile
    }
    await this.add(jobId, data, WorkOrderPdfPriority.Interactive);
  }

  /** Makes sure a job the database still expects is alive in Redis under its id (worker start). */
  async revive(jobId: string, data: WorkOrderPdfJobData): Promise<'alive' | 'added' | 'replaced'> {
    const job = await this.queue.getJob(jobId);
    if (!job) {
      await this.add(jobId, data, WorkOrderPdfPriority.Prerender);
      return 'added';
    }
    const state = await job.getState();
    if (state !== 'failed' && state !== 'completed') return 'alive';
    await job.remove();
    await this.add(jobId, data, WorkOrderPdfPriority.Prerender);
    return 'replaced';
  }

  /** For the worker's bootstrap (see whenQueueConnected). */
  connected(): Promise<void> {
    return whenQueueConnected(this.queue);
  }
}
