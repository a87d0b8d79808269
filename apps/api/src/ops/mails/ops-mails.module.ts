import { Module } from '@nestjs/common';
import { MailQueueModule } from '../../mail/mail-queue.module';
import { MailModule } from '../../mail/mail.module';
import { OpsMailsController } from './ops-mails.controller';
import { OpsMailsService } from './ops-mails.service';

/** API role: the operations console's mail log. */
@Module({
  imports: [MailQueueModule, MailModule],
  controllers: [OpsMailsController],
  providers: [OpsMailsService],
})
export class OpsMailsModule {}
