import { Module } from '@nestjs/common';
import { JobKind } from '@vetlab/shared';
import { JobWorkers } from '../jobs/job-workers.service';
import { StrandedJobs } from '../jobs/stranded-jobs.service';
import { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';
import { PasswordLinksRepository } from '../passwords/password-links.repository';
import { MailDeliveryService } from './mail-delivery.service';
import { MailQueueModule } from './mail-queue.module';
import { MailTransportService } from './mail-transport.service';
import { OutboxService } from './outbox.service';

/**
 * Worker role: sends mails. Outbox rows are their record; they need no JobRecord of their own, and
 * the stranded-job sweep revives every row a sender should be working on (Redis lost its job).
 */
@Module({
  imports: [MailQueueModule],
  providers: [MailDeliveryService, MailTransportService, BulkLedgerRepository, PasswordLinksRepository],
})
export class MailWorkerModule {
  constructor(workers: JobWorkers, stranded: StrandedJobs, delivery: MailDeliveryService, outbox: OutboxService) {
    workers.register({ kind: JobKind.SendEmail, concurrency: 4, run: (data) => delivery.deliver(data.outboxId) });
    stranded.addSource({ name: 'outbox', expected: () => outbox.expected() });
  }
}
