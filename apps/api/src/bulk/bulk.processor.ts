import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { FinalFailureHook, JobsService } from '../jobs/jobs.service';
import { BulkJobName, QueueName } from '../jobs/queues';
import { BulkRunnerService } from './bulk-runner.service';
import { BulkJobData } from './interfaces/bulk-job.interface';

/** Worker role only. One run at a time per worker: its chunks are the parallelism the database likes. */
@Processor(QueueName.Bulk)
export class BulkProcessor {
  private readonly log = new Logger(BulkProcessor.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly runner: BulkRunnerService,
  ) {}

  @Process({ name: BulkJobName.Run, concurrency: 1 })
  run(job: Job<BulkJobData>) {
    return this.jobs.run(job, (ctx) => this.runner.run(job.data.bulkId, ctx), this.failed(job));
  }

  /** Bull fails a job that stalled too often (its workers kept dying) without running it. */
  @OnQueueFailed()
  async onFailed(job: Job<BulkJobData>, error: Error) {
    if (!/stalled more than allowable limit/.test(error?.message ?? '')) return;
    await this.jobs.failFromQueue(job, error.message, this.failed(job)).catch((e: Error) => this.log.error(`job ${job.id}: ${e.message}`));
  }

  private failed(job: Job<BulkJobData>): FinalFailureHook {
    return (em) => this.runner.markFailed(em, job.data.bulkId);
  }
}
