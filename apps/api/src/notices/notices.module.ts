import { Global, Module } from '@nestjs/common';
import { NoticesRepository } from './notices.repository';
import { NoticesService } from './notices.service';

/** Global, in both roles: whatever changes a clinic's protocol or report writes its notices through NoticesService. */
@Global()
@Module({ providers: [NoticesService, NoticesRepository], exports: [NoticesService] })
export class NoticesModule {}
