import { OnQueueFailed, Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { FinalFailureHook, JobsService } from '../../jobs/jobs.service';
import { QueueName, ReportJobName } from '../../jobs/queues';
import { FinalizeStatusService } from './finalize-status.service';
import { ReportJobData } from './interfaces/report-job.interface';
import { ReportPipelineService } from './report-pipeline.service';

/**
 * Worker role only. Renders run in the render pool, so this event loop stays free to renew Bull's
 * locks; the concurrency is how many report jobs one worker keeps in flight.
 */
@Processor(QueueName.Reports)
export class ReportJobsProcessor {
  private readonly log = new Logger(ReportJobsProcessor.name);

  constructor(
    private readonly jobs: JobsService,
    private readonly pipeline: ReportPipelineService,
    private readonly status: FinalizeStatusService,
  ) {}

  @Process({ name: ReportJobName.Finalize, concurrency: 3 })
  finalize(job: Job<ReportJobData>) {
    return this.jobs.run(job, (ctx) => this.pipeline.finalize(job.data, ctx), this.finalizeFailed(job));
  }

  @Process({ name: ReportJobName.RenderPdf, concurrency: 1 })
  renderPdf(job: Job<ReportJobData>) {
    return this.jobs.run(job, (ctx) => this.pipeline.renderPdf(job.data, ctx));
  }

  /** Bull fails a job that stalled too often (its workers kept dying) without running it. */
  @OnQueueFailed()
  async onFailed(job: Job<ReportJobData>, error: Error) {
    if (!/stalled more than allowable limit/.test(error?.message ?? '')) return;
    const hook = job.name === ReportJobName.Finalize ? this.finalizeFailed(job) : undefined;
    await this.jobs.failFromQueue(job, error.message, hook).catch((e: Error) => this.log.error(`job ${job.id}: ${e.message}`));
  }

  private finalizeFailed(job: Job<ReportJobData>): FinalFailureHook {
    return (em, reason) => this.status.markFailed(em, job.data.versionId, String(job.id), reason, null);
  }
}
