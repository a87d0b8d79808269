import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { whenQueueConnected } from '../jobs/queue-connections';
import { MailJobName, QueueName } from '../jobs/queues';
import { MailJobData } from './interfaces/mail-job.interface';

/** The only producer of the `mail` queue. */
@Injectable()
export class MailQueueService {
  constructor(@InjectQueue(QueueName.Mail) private readonly queue: Queue<MailJobData>) {}

  /** One job per outbox row, id = outbox id: adding a row that is already queued does nothing. */
  async sendAll(outboxIds: string[]): Promise<void> {
    if (!outboxIds.length) return;
    await this.queue.addBulk(outboxIds.map((outboxId) => ({ name: MailJobName.Send, data: { outboxId }, opts: { jobId: outboxId } })));
  }

  /** For the worker's bootstrap (see whenQueueConnected). */
  connected(): Promise<void> {
    return whenQueueConnected(this.queue);
  }
}
