import { Module } from '@nestjs/common';
import { JobKind } from '@vetlab/shared';
import { JobWorkers } from '../../jobs/job-workers.service';
import { MailQueueModule } from '../../mail/mail-queue.module';
import { FinalizeStatusService } from './finalize-status.service';
import { ReportPipelineService } from './report-pipeline.service';
import { ReportVersionsRepository } from './report-versions.repository';

/**
 * Worker role: runs the report jobs (finalize, PDF re-render). Renders run in the render pool, so
 * this event loop stays free to renew Bull's locks; the concurrency is how many report jobs one
 * worker keeps in flight.
 */
@Module({
  imports: [MailQueueModule],
  providers: [ReportPipelineService, FinalizeStatusService, ReportVersionsRepository],
})
export class FinalizeWorkerModule {
  constructor(workers: JobWorkers, pipeline: ReportPipelineService) {
    workers.register({
      kind: JobKind.FinalizeReport,
      concurrency: 3,
      run: (data, ctx) => pipeline.finalize(data, ctx),
      completed: (data, requestedBy) => pipeline.announce(data, requestedBy),
      // A failure for good leaves the version finalize_failed: JobSubjects' rule.
    });
    workers.register({ kind: JobKind.ReportPdf, concurrency: 1, run: (data, ctx) => pipeline.renderPdf(data, ctx) });
  }
}
