import { Module } from '@nestjs/common';
import { NoticesController } from './notices.controller';

/** API role: a vet's notice routes. */
@Module({ controllers: [NoticesController] })
export class NoticesApiModule {}
