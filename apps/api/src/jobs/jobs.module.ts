import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobsController } from './jobs.controller';
import { JobsQueryService } from './jobs-query.service';
import { JobsService } from './jobs.service';
import { bullRootOptions } from './queues';

/**
 * Both roles: Bull's shared connection settings (queues register in their own folders), job
 * records and their events. Global so every queue's producer and processor can use JobsService.
 * Like the audit module, its small controller is inert in the worker role, which serves no HTTP.
 */
@Global()
@Module({
  imports: [BullModule.forRootAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => bullRootOptions(config) })],
  controllers: [JobsController],
  providers: [JobsService, JobsQueryService],
  exports: [JobsService],
})
export class JobsModule {}
