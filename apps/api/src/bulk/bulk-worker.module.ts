import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { MailQueueModule } from '../mail/mail-queue.module';
import { BulkProcessor } from './bulk.processor';
import { BulkQueueModule } from './bulk-queue.module';
import { BulkQueueService } from './bulk-queue.service';
import { BulkRunnerService } from './bulk-runner.service';

/** Worker role: runs the `bulk` queue. */
@Module({
  imports: [BulkQueueModule, MailQueueModule],
  providers: [BulkProcessor, BulkRunnerService],
})
export class BulkWorkerModule implements OnApplicationBootstrap {
  constructor(private readonly queue: BulkQueueService) {}

  onApplicationBootstrap() {
    return this.queue.connected();
  }
}
