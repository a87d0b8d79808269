import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { raceTimer } from '../common/deadline';
import { JobQueues } from './job-queues.service';

/**
 * A job handed back at shutdown waits this long before another worker may take it, so that what
 * the stopping process still does with it (its render failing as the pool closes, a last write)
 * lands before the next run starts.
 */
const HANDBACK_DELAY_MS = 1000;

const keyOf = (q: Queue, job: Job) => `${q.name}:${job.id}`;

/** Bull's Job has it (active → delayed, checked against this worker's lock); its typings do not. */
type MovableJob = Job & { moveToDelayed(timestamp: number, ignoreLock?: boolean): Promise<void> };

/**
 * Worker role: the jobs this process is running, and how it lets go of them when it stops. Bull's
 * own close waits for running jobs without bound; a deploy cannot wait that long.
 */
@Injectable()
export class WorkerDrain implements OnModuleInit {
  private readonly log = new Logger(WorkerDrain.name);
  private readonly running = new Map<string, MovableJob>();

  constructor(private readonly queues: JobQueues) {}

  onModuleInit() {
    for (const q of this.queues.all()) {
      q.on('active', (job: MovableJob) => this.running.set(keyOf(q, job), job));
      const over = (job: Job) => this.running.delete(keyOf(q, job));
      q.on('completed', over).on('failed', over);
    }
  }

  /**
   * Stops taking jobs, lets the running ones finish until `deadline`, then hands each one still
   * running back to its queue (Bull's delayed set, from where any worker takes it) without
   * counting an attempt, and closes the queues' connections. After this the job handlers that were
   * cut off can no longer record anything in Redis: their attempt never happened.
   */
  async drain(deadline: number): Promise<{ finished: number; handedBack: number }> {
    const queues = this.queues.all();
    await Promise.all(queues.map((q) => q.pause(true, true).catch(() => undefined)));
    const atStart = this.running.size;
    const finishing = Promise.all(queues.map((q) => q.whenCurrentJobsFinished().catch(() => undefined)));
    await raceTimer(finishing, deadline - Date.now(), () => undefined);

    const left = [...this.running.values()];
    for (const job of left) {
      try {
        await job.moveToDelayed(Date.now() + HANDBACK_DELAY_MS);
        this.log.log(`job ${job.id} (${job.name}) handed back to its queue`);
      } catch (e) {
        // Its lock expired meanwhile: Bull's stalled-job check hands it to another worker anyway.
        this.log.warn(`job ${job.id} could not be handed back: ${(e as Error).message}`);
      }
    }
    await Promise.all(queues.map((q) => q.close(true).catch(() => undefined)));
    return { finished: atStart - left.length, handedBack: left.length };
  }
}
