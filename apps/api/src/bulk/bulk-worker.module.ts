import { EntityManager } from '@mikro-orm/core';
import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { MailQueueModule } from '../mail/mail-queue.module';
import { BulkProcessor } from './bulk.processor';
import { BulkQueueModule } from './bulk-queue.module';
import { BulkQueueService } from './bulk-queue.service';
import { BulkRunnerService } from './bulk-runner.service';
import { BulkRun } from './bulk-run.entity';
import { ACTIVE_RUN_STATES } from './bulk-views';
import { BulkLedgerRepository } from './bulk-ledger.repository';

/** Worker role: runs the `bulk` queue. */
@Module({
  imports: [BulkQueueModule, MailQueueModule],
  providers: [BulkProcessor, BulkRunnerService, BulkLedgerRepository],
})
export class BulkWorkerModule implements OnApplicationBootstrap {
  private readonly log = new Logger(BulkWorkerModule.name);

  constructor(
    private readonly queue: BulkQueueService,
    private readonly em: EntityManager,
  ) {}

  /**
   * Runs the database still expects to finish go (back) into the queue under their job id: one
   * committed just before its API process died, before the enqueue. Bull ignores an id it has.
   */
  async onApplicationBootstrap() {
    await this.queue.connected();
    if (!this.queue.ready()) return;
    try {
      const runs = await this.em.fork().find(BulkRun, { state: { $in: ACTIVE_RUN_STATES } }, { fields: ['id', 'jobId'] });
      for (const run of runs) await this.queue.add(run.jobId, { bulkId: run.id });
    } catch (e) {
      this.log.warn(`unfinished bulk runs not re-queued: ${(e as Error).message}`);
    }
  }
}
