import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { PermanentJobError } from '../jobs/permanent-job-error';
import { MailJobName, QueueName } from '../jobs/queues';
import { MailJobData } from './interfaces/mail-job.interface';
import { MailDeliveryService } from './mail-delivery.service';

/** Worker role only. Outbox rows are the record of mails; they need no JobRecord of their own. */
@Processor(QueueName.Mail)
export class MailProcessor {
  constructor(private readonly delivery: MailDeliveryService) {}

  @Process({ name: MailJobName.Send, concurrency: 4 })
  async send(job: Job<MailJobData>) {
    try {
      return await this.delivery.deliver(job.data.outboxId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
    } catch (e) {
      if (e instanceof PermanentJobError) await job.discard();
      throw e;
    }
  }
}
