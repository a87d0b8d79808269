import { Module } from '@nestjs/common';
import { OutboxService } from './outbox.service';

/** Both roles: the outbox writer, which hands its rows to the `mail` queue (no processor here). */
@Module({
  providers: [OutboxService],
  exports: [OutboxService],
})
export class MailQueueModule {}
