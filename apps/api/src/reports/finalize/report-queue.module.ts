import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '../../jobs/queues';
import { ReportQueueService } from './report-queue.service';

/** Both roles: the `reports` queue and its producer (the processor lives in FinalizeWorkerModule). */
@Module({
  imports: [BullModule.registerQueue({ name: QueueName.Reports })],
  providers: [ReportQueueService],
  exports: [ReportQueueService],
})
export class ReportQueueModule {}
