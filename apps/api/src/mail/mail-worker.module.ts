import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { BulkLedgerRepository } from '../bulk/bulk-ledger.repository';
import { MailDeliveryService } from './mail-delivery.service';
import { MailQueueModule } from './mail-queue.module';
import { MailQueueService } from './mail-queue.service';
import { MailTransportService } from './mail-transport.service';
import { MailProcessor } from './mail.processor';

/** Worker role: sends the `mail` queue's jobs. */
@Module({
  imports: [MailQueueModule],
  providers: [MailProcessor, MailDeliveryService, MailTransportService, BulkLedgerRepository],
})
export class MailWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queue: MailQueueService) {}

  onApplicationBootstrap() {
    return this.queue.connected();
  }
}
