import { Global, Module } from '@nestjs/common';
import { JobWorkers } from './job-workers.service';
import { StrandedJobs } from './stranded-jobs.service';

/** Worker role: the processor registry every worker module registers with, and the stranded-job sweeper. */
@Global()
@Module({
  providers: [JobWorkers, StrandedJobs],
  exports: [JobWorkers, StrandedJobs],
})
export class JobsWorkerModule {}
