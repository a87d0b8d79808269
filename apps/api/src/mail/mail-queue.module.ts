import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

/** Both roles: the outbox writer, which hands its rows to the `mail` queue (no processor here). */
@Module({
  providers: [OutboxService, OutboxRepository],
  exports: [OutboxService, OutboxRepository],
})
export class MailQueueModule {}
