import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { MailQueueModule } from '../../mail/mail-queue.module';
import { FinalizeStatusService } from './finalize-status.service';
import { ReportJobsProcessor } from './report-jobs.processor';
import { ReportPipelineService } from './report-pipeline.service';
import { ReportQueueModule } from './report-queue.module';
import { ReportQueueService } from './report-queue.service';
import { StrandedReportJobsService } from './stranded-report-jobs.service';

/** Worker role: runs the `reports` queue (finalize, PDF re-render) and recovers stranded jobs at start. */
@Module({
  imports: [ReportQueueModule, MailQueueModule],
  providers: [ReportJobsProcessor, ReportPipelineService, FinalizeStatusService, StrandedReportJobsService],
})
export class FinalizeWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queue: ReportQueueService) {}

  onApplicationBootstrap() {
    return this.queue.connected();
  }
}
