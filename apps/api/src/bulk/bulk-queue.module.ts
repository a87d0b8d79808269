import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '../jobs/queues';
import { BulkQueueService } from './bulk-queue.service';

/** Both roles: the `bulk` queue and its producer (the processor lives in BulkWorkerModule). */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Bulk })],
  providers: [BulkQueueService],
  exports: [BulkQueueService],
})
export class BulkQueueModule {}
