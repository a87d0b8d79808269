import { Module } from '@nestjs/common';
import { JobKind } from '@vetlab/shared';
import { JobWorkers } from '../jobs/job-workers.service';
import { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';
import { MailDeliveryService } from './mail-delivery.service';
import { MailQueueModule } from './mail-queue.module';
import { MailTransportService } from './mail-transport.service';

/** Worker role: sends mails. Outbox rows are their record; they need no JobRecord of their own. */
@Module({
  imports: [MailQueueModule],
  providers: [MailDeliveryService, MailTransportService, BulkLedgerRepository],
})
export class MailWorkerModule {
  constructor(workers: JobWorkers, delivery: MailDeliveryService) {
    workers.register({ kind: JobKind.SendEmail, concurrency: 4, run: (data, ctx) => delivery.deliver(data.outboxId, ctx.lastAttempt) });
  }
}
