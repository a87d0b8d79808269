import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import DataLoader from 'dataloader';
import { whenQueueConnected } from '../../jobs/queue-connections';
import { QueueName, ReportJobName } from '../../jobs/queues';
import { ReportJobData } from './interfaces/report-job.interface';

interface ReportJobAdd {
  name: ReportJobName;
  jobId: string;
  data: ReportJobData;
}

/**
 * The only producer of the `reports` queue. The Bull job id is always the JobRecord id.
 *
 * Adds made in the same turn of the event loop (twenty signers' finalizes, claimed together) go to
 * Redis together, in one round trip (Bull's addBulk, a MULTI of the same add script).
 */
@Injectable()
export class ReportQueueService {
  private readonly adds = new DataLoader<ReportJobAdd, void>(
    async (jobs) => {
      await this.queue.addBulk(jobs.map(({ name, jobId, data }) => ({ name, data, opts: { jobId } })));
      return jobs.map(() => undefined);
    },
    { cache: false },
  );

  constructor(@InjectQueue(QueueName.Reports) private readonly queue: Queue<ReportJobData>) {}

  /** Adding an id that is already queued does nothing (Bull dedupes by job id). */
  add(name: ReportJobName, jobId: string, data: ReportJobData): Promise<void> {
    return this.adds.load({ name, jobId, data });
  }

  /** For the worker's bootstrap (see whenQueueConnected). */
  connected(): Promise<void> {
    return whenQueueConnected(this.queue);
  }

  /**
   * Makes sure a job the database still expects is alive in Redis under its id: added again when
   * Redis lost it, or replaced (with its attempts restored) when Bull had given up on it or finished
   * it while the database never heard.
   */
  async revive(name: ReportJobName, jobId: string, data: ReportJobData, opts: { replaceFinished: boolean } = { replaceFinished: true }): Promise<'alive' | 'added' | 'replaced'> {
    const job = await this.queue.getJob(jobId);
    if (!job) {
      await this.add(name, jobId, data);
      return 'added';
    }
    const state = await job.getState();
    // A finished Bull job whose record still says otherwise may be one whose end is being recorded
    // right now: only a worker's start (when nothing of its own runs yet) replaces it.
    if ((state !== 'failed' && state !== 'completed') || !opts.replaceFinished) return 'alive';
    await job.remove();
    await this.add(name, jobId, data);
    return 'replaced';
  }
}
