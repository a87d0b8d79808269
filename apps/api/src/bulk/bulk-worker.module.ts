import { Module } from '@nestjs/common';
import { JobKind } from '@vetlab/shared';
import { JobWorkers } from '../jobs/job-workers.service';
import { MailQueueModule } from '../mail/mail-queue.module';
import { BulkRunnerService } from './bulk-runner.service';
import { BulkLedgerRepository } from './bulk-ledger.repository';

/** Worker role: runs bulk runs, one at a time per worker: its chunks are the parallelism the database likes. */
@Module({
  imports: [MailQueueModule],
  providers: [BulkRunnerService, BulkLedgerRepository],
})
export class BulkWorkerModule {
  constructor(workers: JobWorkers, runner: BulkRunnerService) {
    workers.register({
      kind: JobKind.BulkProtocols,
      concurrency: 1,
      run: (data, ctx) => runner.run(data.bulkId, ctx),
      completed: (data) => runner.announce(data.bulkId),
      // A failure for good leaves the run failed: JobSubjects' rule.
    });
  }
}
