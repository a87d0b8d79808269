import { Module } from '@nestjs/common';
import { MailQueueModule } from '../mail/mail-queue.module';
import { UsersRepository } from '../users/users.repository';
import { PasswordLinkRateLimiter } from './password-link-rate-limiter';
import { PasswordLinksRepository } from './password-links.repository';
import { PasswordsController } from './passwords.controller';
import { PasswordsService } from './passwords.service';

/** API role: password links and password changes (the links' mails are sent by the mail worker). */
@Module({
  imports: [MailQueueModule],
  controllers: [PasswordsController],
  providers: [PasswordsService, PasswordLinksRepository, PasswordLinkRateLimiter, UsersRepository],
  exports: [PasswordsService, PasswordLinksRepository, UsersRepository],
})
export class PasswordsModule {}
