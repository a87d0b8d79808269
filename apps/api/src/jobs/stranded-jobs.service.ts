import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobPayload } from '@vetlab/shared';
import type { Job, JobStatus } from 'bull';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isOutsideFailure } from './failure-cause';
import { JobRecord } from './job.entity';
import { JobQueues } from './job-queues.service';
import { byQueue } from './queues';
import { JobsService } from './jobs.service';
import { JobSubjects } from './subjects/job-subjects.service';

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
 * What must hold in Redis before the sweep queues anything again (the queue pauses: a job added to
 * a queue whose pause Redis lost would run at once). Registered by the module that owns it; a
 * precondition that throws stops that sweep, and the next one tries again.
 */
export interface SweepPrecondition {
  name: string;
  ensure(): Promise<unknown>;
}

/** What Bull holds for an expected job (null: nothing). */
export interface BullJobView {
  state: JobStatus | 'stuck';
  /** When Bull failed or completed it (ms since the epoch). */
  finishedOn?: number;
  /** Bull's failed reason and the first line of the last error's stack (which names the error). */
  failure: string;
}

export type SweepDecision = 'alive' | 'add' | 'replace' | 'fail';

/**
 * What the sweep does with a job the database expects, given what Bull holds for it: nothing while
 * Bull still has it to run; add it when Redis lost it; replace it when Bull finished it while the
 * database never heard — completed (the completion could not be written), or failed for a reason
 * outside the job (the database or Redis away, its workers dying, a run that stopped superseded:
 * the run holding the subject's token then no longer exists, so a new one must take it over);
 * fail the record when Bull failed
 * it for the job's own reason (that failure could not be written). A job finished less than
 * `graceMs` ago is left alone: its end may be being recorded right now.
 */
export function decide(bull: BullJobView | null, now: number, graceMs: number): SweepDecision {
  if (!bull) return 'add';
  if (bull.state !== 'failed' && bull.state !== 'completed') return 'alive';
  if (now - (bull.finishedOn ?? now) < graceMs) return 'alive';
  return bull.state === 'completed' || isOutsideFailure(bull.failure) ? 'replace' : 'fail';
}

/** A job the database expects, as the sweep and a hand-back reconcile it. */
export interface ReconciledJob extends ExpectedJob {
  /** A JobRecord follows it (false: a registered source's row, e.g. mail). */
  recorded: boolean;
}

/**
 * The database is the source of truth for what runs. In the worker role, at start and every
 * JOB_STRANDED_SWEEP_MS, every job the database still expects (records queued, active or retrying,
 * and the registered sources) is matched with Bull's job of the same id and `decide`d upon. A job
 * record never says running for long while Bull has given it up.
 * Running it on several workers at once is harmless: Bull dedupes by job id, a replace of a job
 * already replaced only finds a waiting one, and failing a record is conditional on its state.
 * Both roles reach `reconcile` (the operations console hands a stuck job back through it); only
 * the worker role starts the periodic sweep.
 */
@Injectable()
export class StrandedJobs implements OnApplicationShutdown {
  private readonly log = new Logger(StrandedJobs.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping = false;
  private readonly sources: StrandedSource[] = [];
  private readonly preconditions: SweepPrecondition[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly queues: JobQueues,
    private readonly jobs: JobsService,
    private readonly subjects: JobSubjects,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Another table the sweep reads (before the worker starts). */
  addSource(source: StrandedSource): void {
    this.sources.push(source);
  }

  /** Something the sweep makes true in Redis before it queues anything again. */
  addPrecondition(p: SweepPrecondition): void {
    this.preconditions.push(p);
  }

  /** Called by JobWorkers once the processors run (worker role). */
  async start() {
    await this.sweep();
    const every = this.config.jobs.strandedSweepMs;
    if (every > 0) this.timer = setInterval(() => void this.sweep(), every).unref();
  }

  onApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The sweep's decision and act for one expected job: add it when Redis lost it, replace it when
   * Bull finished it while the database never heard, fail its record (and subject) when Bull failed
   * it for the job's own reason. Returns what was done (null: nothing, it is alive or over).
   * `graceMs` 0 acts on a job Bull finished just now (a hand-back that failed it on purpose).
   */
  async reconcile(j: ReconciledJob, graceMs = this.config.jobs.strandedGraceMs): Promise<Exclude<SweepDecision, 'alive'> | null> {
    const found = await this.queues.find(j.kind, j.id);
    const view = found && { state: found.state, finishedOn: found.job.finishedOn, failure: failureOf(found.job) };
    const decision = decide(view, Date.now(), graceMs);
    if (decision === 'alive') return null;
    // The record was read before Bull's look: its end may have been written in between.
    if (j.recorded && decision !== 'add' && !(await this.stillExpected(j.id))) return null;
    if (decision === 'add') await this.queues.add(j.kind, j.id, j.payload);
    else if (decision === 'replace') await this.queues.replace(j.kind, j.id, j.payload);
    // Without a record the table that expects the job decides what its own failure means.
    else if (j.recorded && found) {
      await this.jobs.failFromQueue(found.job, found.job.failedReason || 'failed', this.subjects.failureHook(j));
    } else return null;
    return decision;
  }

  private async sweep() {
    // Redis away: nothing can be re-queued now; the next sweep looks again.
    if (this.sweeping || !this.queues.ready()) return;
    this.sweeping = true;
    try {
      const acted = await this.recover();
      if (acted) this.log.log(`enqueued or settled ${acted} stranded job(s)`);
    } catch (e) {
      // A worker that cannot look now (the database away) still processes what is queued; the next sweep looks again.
      this.log.error(`looking for stranded jobs failed: ${(e as Error).message}`);
    } finally {
      this.sweeping = false;
    }
  }

  /** Returns how many jobs were added, replaced or failed. */
  private async recover(): Promise<number> {
    const records = await this.em.fork().find(JobRecord, { state: { $in: [...ACTIVE_JOB_STATES] } }, { fields: ['id', 'kind', 'payload'] });
    // Every producer stores the payload; a record without one has nothing to enqueue.
    const expected: ReconciledJob[] = records.flatMap((r) => (r.payload ? [{ kind: r.kind, id: r.id, payload: r.payload, recorded: true }] : []));
    for (const s of this.sources) expected.push(...(await s.expected()).map((j) => ({ ...j, recorded: false })));
    const lost = await this.notAlive(expected);
    if (!lost.length) return 0;
    // Redis that lost jobs may have lost more (a restart without persistence): its pause flags first.
    for (const p of this.preconditions) {
      await p.ensure().catch((e: Error) => {
        throw new Error(`${p.name}: ${e.message}`, { cause: e });
      });
    }
    let acted = 0;
    for (const j of lost) if (await this.reconcile(j)) acted++;
    return acted;
  }

  /**
   * The expected jobs Bull does not hold as waiting, paused, delayed or active (those `decide`
   * leaves alone): their states read a chunk of ids per round trip, so a sweep during a pause with
   * 10,000 jobs held costs a few round trips, not 10,000 scans of the paused list.
   */
  private async notAlive(expected: ReconciledJob[]): Promise<ReconciledJob[]> {
    const left: ReconciledJob[] = [];
    for (const [queue, jobs] of byQueue(expected, (j) => j.kind)) {
      for (let i = 0; i < jobs.length; i += SWEEP_CHUNK) {
        const chunk = jobs.slice(i, i + SWEEP_CHUNK);
        const states = await this.queues.states(queue, chunk.map((j) => j.id));
        left.push(...chunk.filter((j) => decide(bullLook(states.get(j.id) ?? null), 0, 0) !== 'alive'));
      }
    }
    return left;
  }

  private async stillExpected(id: string): Promise<boolean> {
    return (await this.em.fork().count(JobRecord, { id, state: { $in: [...ACTIVE_JOB_STATES] } })) > 0;
  }
}

/** Ids whose Bull state a sweep reads per round trip. */
const SWEEP_CHUNK = 1000;

/** What a state alone tells `decide`: finished jobs are looked at in full by `reconcile`. */
function bullLook(state: JobStatus | 'stuck' | null): BullJobView | null {
  return state && { state, failure: '' };
}

function failureOf(job: Job): string {
  const lastStack = job.stacktrace?.at(-1)?.split('\n')[0] ?? '';
  return [job.failedReason ?? '', lastStack].filter(Boolean).join('\n');
}
