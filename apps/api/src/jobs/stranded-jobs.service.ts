import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobPayload } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobRecord } from './job.entity';
import { JobQueues } from './job-queues.service';

/** One piece of work the database expects a queue to hold. */
export interface ExpectedJob {
  kind: JobKind;
  id: string;
  payload: JobPayload<JobKind>;
}

/**
 * Work the database expects to be queued that has no job record (mail: the outbox rows still to
 * send). Registered by the module that owns the table; the sweeper revives what it returns.
 */
export interface StrandedSource {
  name: string;
  expected(): Promise<ExpectedJob[]>;
}

/**
 * Worker role, every queue, driven by the job records. At start: every record the database still
 * expects to run (queued, active, retrying) gets its Bull job back under the same id when Redis lost
 * it (a crash between commit and enqueue), or when Bull gave up on it or finished it while the
 * database never heard. Then, every JOB_STRANDED_SWEEP_MS, the same for jobs Redis does not have at
 * all (an API process that died between its commit and its enqueue while this worker kept running).
 * Running it on several workers at once is harmless: Bull dedupes by job id.
 */
@Injectable()
export class StrandedJobs implements OnApplicationShutdown {
  private readonly log = new Logger(StrandedJobs.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private readonly sources: StrandedSource[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly queues: JobQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Another table the sweep reads (before the worker starts). */
  addSource(source: StrandedSource): void {
    this.sources.push(source);
  }

  /** Called by JobWorkers once the processors run. */
  async start() {
    await this.sweep({ replaceFinished: true });
    const every = this.config.jobs.strandedSweepMs;
    if (every > 0) this.timer = setInterval(() => void this.sweep({ replaceFinished: false }), every).unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  private async sweep(opts: { replaceFinished: boolean }) {
    // Redis away: nothing can be re-queued now; the next sweep looks again.
    if (this.sweeping || !this.queues.ready()) return;
    this.sweeping = true;
    try {
      const revived = await this.recover(opts);
      if (revived) this.log.log(`enqueued ${revived} stranded job(s) again`);
    } catch (e) {
      // A worker that cannot look now still processes what is queued; the next sweep looks again.
      this.log.error(`looking for stranded jobs failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  /** Returns how many jobs had to be added or replaced. */
  private async recover(opts: { replaceFinished: boolean }): Promise<number> {
    const records = await this.em.fork().find(JobRecord, { state: { $in: [...ACTIVE_JOB_STATES] } }, { fields: ['id', 'kind', 'payload'] });
    let revived = 0;
    // Every producer stores the payload; a record without one has nothing to enqueue.
    const expected: ExpectedJob[] = records.flatMap((r) => (r.payload ? [{ kind: r.kind, id: r.id, payload: r.payload }] : []));
    for (const s of this.sources) expected.push(...(await s.expected()));
    for (const j of expected) if ((await this.queues.revive(j.kind, j.id, j.payload, opts)) !== 'alive') revived++;
    return revived;
  }
}
