import { Module } from '@nestjs/common';
import { MailQueueModule } from './mail-queue.module';
import { MailsController } from './mails.controller';
import { MailsService } from './mails.service';

/** API role: the mail routes. */
@Module({
  imports: [MailQueueModule],
  controllers: [MailsController],
  providers: [MailsService],
})
export class MailModule {}
