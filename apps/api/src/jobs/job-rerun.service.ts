import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobPayload, JobState } from '@vetlab/shared';
import { writeTransaction } from '../database/database';
import { JobRecord } from './job.entity';
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
   * False when nothing changed: the record was not in `from`, or a worker still runs the job.
   * `subject` runs in the transaction after the record is requeued; it throws to refuse (the
   * requeue is rolled back).
   */
  async rerun<K extends JobKind>(job: Rerun<K>, subject: (em: EntityManager) => Promise<void>): Promise<boolean> {
    this.queues.assertReady();
    const state = (await this.em.fork().findOne(JobRecord, { id: job.id }, { fields: ['state'] }))?.state;
    if (!state || !job.from.includes(state)) return false;
    const removed = await this.queues.remove(job.kind, job.id);
    if (removed === false) return false;
    let requeued = false;
    try {
      requeued = await writeTransaction(this.em, async (em) => {
        if (!(await this.jobs.requeue(em, job.id, job.from))) return false;
        await subject(em);
        await em.flush();
        return true;
      });
    } finally {
      // Requeued: its job goes to Bull now. Not (another click won, or the subject refused): a job
      // still to run that was removed above goes back if its record still expects it (Bull dedupes
      // by id: the winner's add and this one are the same job).
      if (requeued || (removed !== null && removed !== 'failed' && removed !== 'completed' && (await this.expected(job.id)))) {
        await this.queues.add(job.kind, job.id, job.payload);
      }
    }
    return requeued;
  }

  private async expected(id: string): Promise<boolean> {
    const state = (await this.em.fork().findOne(JobRecord, { id }, { fields: ['state'] }))?.state;
    return !!state && ACTIVE_JOB_STATES.includes(state);
  }
}
