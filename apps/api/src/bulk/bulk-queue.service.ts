import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { whenQueueConnected } from '../jobs/queue-connections';
import { BulkJobName, QueueName } from '../jobs/queues';
import { BulkJobData } from './interfaces/bulk-job.interface';

/** The only producer of the `bulk` queue. The Bull job id is the JobRecord id. */
@Injectable()
export class BulkQueueService {
  constructor(@InjectQueue(QueueName.Bulk) private readonly queue: Queue<BulkJobData>) {}

  async add(jobId: string, data: BulkJobData): Promise<void> {
    await this.queue.add(BulkJobName.Run, data, { jobId });
  }

  /** Whether Redis answers now (a worker that starts with Redis away re-queues nothing). */
  ready(): boolean {
    return this.queue.client.status === 'ready';
  }

  /** For the worker's bootstrap (see whenQueueConnected). */
  connected(): Promise<void> {
    return whenQueueConnected(this.queue);
  }
}
