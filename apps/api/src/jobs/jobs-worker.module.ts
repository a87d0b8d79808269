import { Global, Module } from '@nestjs/common';
import { JobWorkers } from './job-workers.service';
import { WorkerDrain } from './worker-drain.service';

/**
 * Worker role: the processor registry every worker module registers with, the drain a stopping worker runs.
 */
@Global()
@Module({
  providers: [JobWorkers, WorkerDrain],
  exports: [JobWorkers, WorkerDrain],
})
export class JobsWorkerModule {}
