import { Module } from '@nestjs/common';
import { MailQueueModule } from '../mail/mail-queue.module';
import { PasswordsModule } from '../passwords/passwords.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({ imports: [PasswordsModule, MailQueueModule], controllers: [UsersController], providers: [UsersService] })
export class UsersModule {}
