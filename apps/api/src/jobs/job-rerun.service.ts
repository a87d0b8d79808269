import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { JobKind, JobPayload, JobState } from '@vetlab/shared';
import { writeTransaction } from '../database/database';
import { JobQueues } from './job-queues.service';
import { JobsService } from './jobs.service';

/** The job to run again and the states its record may be in for that. */
export interface Rerun<K extends JobKind> {
  kind: K;
  id: string;
  payload: JobPayload<K>;
  from: readonly JobState[];
}

/**
 * The one path by which a finished job runs again from the start under the same id (a failed bulk
 * run resumed, a failed job retried from the operations console). Bull's finished job is removed
 * first, so the sweeper cannot take the requeued record for one Bull failed for its own reason;
 * then one transaction requeues the record (only from `from`: a second click finds it queued and
 * changes nothing), lets the caller put the subject back to work and audit it, and commits; the
 * job is added after the commit (with Redis away, the sweeper adds it later).
 */
@Injectable()
export class JobRerun {
  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
  ) {}

  /**
   * False when nothing changed: the record was not in `from`, or Bull still holds the job to run.
   * `subject` runs in the transaction after the record is requeued; it throws to refuse (the
   * requeue is rolled back).
   */
  async rerun<K extends JobKind>(job: Rerun<K>, subject: (em: EntityManager) => Promise<void>): Promise<boolean> {
    this.queues.assertReady();
    if (!(await this.queues.remove(job.kind, job.id))) return false;
    const requeued = await writeTransaction(this.em, async (em) => {
      if (!(await this.jobs.requeue(em, job.id, job.from))) return false;
      await subject(em);
      await em.flush();
      return true;
    });
    if (requeued) await this.queues.add(job.kind, job.id, job.payload);
    return requeued;
  }
}
