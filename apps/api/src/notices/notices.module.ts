import { Global, Module } from '@nestjs/common';
import { NoticesService } from './notices.service';

/** Global, in both roles: whatever changes a clinic's protocol or report writes its notices through NoticesService. */
@Global()
@Module({ providers: [NoticesService], exports: [NoticesService] })
export class NoticesModule {}
