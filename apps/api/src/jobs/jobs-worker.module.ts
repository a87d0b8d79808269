import { Global, Module } from '@nestjs/common';
import { JobWorkers } from './job-workers.service';
import { StrandedJobs } from './stranded-jobs.service';
import { WorkerDrain } from './worker-drain.service';

/**
 * Worker role: the processor registry every worker module registers with, the stranded-job
 * sweeper, and the drain a stopping worker runs.
 */
@Global()
@Module({
  providers: [JobWorkers, StrandedJobs, WorkerDrain],
  exports: [JobWorkers, StrandedJobs, WorkerDrain],
})
export class JobsWorkerModule {}
