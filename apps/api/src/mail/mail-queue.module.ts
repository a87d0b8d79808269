import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '../jobs/queues';
import { MailQueueService } from './mail-queue.service';
import { OutboxService } from './outbox.service';

/** Both roles: the `mail` queue, its producer and the outbox writer (no processor here). */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Mail })],
  providers: [MailQueueService, OutboxService],
  exports: [MailQueueService, OutboxService],
})
export class MailQueueModule {}
