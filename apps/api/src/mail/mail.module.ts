import { Module } from '@nestjs/common';
import { MailQueueModule } from './mail-queue.module';
import { MailsController } from './mails.controller';
import { MailsService } from './mails.service';

/** API role: the mail routes; MailsService (send again) is the console's too. */
@Module({
  imports: [MailQueueModule],
  controllers: [MailsController],
  providers: [MailsService],
  exports: [MailsService],
})
export class MailModule {}
