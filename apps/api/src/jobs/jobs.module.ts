import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { QueueName, values } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobQueues } from './job-queues.service';
import { JobsController } from './jobs.controller';
import { JobsQueryService } from './jobs-query.service';
import { JobsService } from './jobs.service';
import { JobRecordsRepository } from './job-records.repository';
import { JobRerun } from './job-rerun.service';
import { StrandedJobs } from './stranded-jobs.service';
import { bullRootOptions } from './queues';

/**
 * Both roles: every Bull queue and its one producer (JobQueues), job records and their events, the
 * rerun path and the stranded-job sweeper's decision (its periodic sweep starts in the worker role).
 * Global so every producer and processor can use them. Like the audit module, its small controller
 * is inert in the worker role, which serves no HTTP.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => bullRootOptions(config) }),
    BullModule.registerQueue(...values(QueueName).map((name) => ({ name }))),
  ],
  controllers: [JobsController],
  providers: [JobsService, JobRecordsRepository, JobsQueryService, JobQueues, JobRerun, StrandedJobs],
  exports: [JobsService, JobQueues, JobRerun, StrandedJobs],
})
export class JobsModule {}
