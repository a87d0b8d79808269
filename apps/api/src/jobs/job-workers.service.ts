import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { JobKind, JobPayload, JobResult, JOBS, values } from '@vetlab/shared';
import type { Job } from 'bull';
import { performance } from 'node:perf_hooks';
import { runWithLogContext } from '../logging/log-context';
import { Metrics } from '../metrics/metrics.service';
import { attemptOutcome, isStalledTooOften } from './failure-cause';
import { JobQueues } from './job-queues.service';
import { FinalFailureHook, JobContext, JobsService } from './jobs.service';
import { PermanentJobError } from './permanent-job-error';
import { StrandedJobs } from './stranded-jobs.service';
import { SupersededRunError } from './superseded-run-error';
import { JobSubjects } from './subjects/job-subjects.service';

/** How a worker runs one kind of job. */
export interface JobProcessor<K extends JobKind> {
  kind: K;
  /** Jobs of this kind one worker keeps in flight. */
  concurrency: number;
  run(data: JobPayload<K>, ctx: JobContext): Promise<JobResult<K>>;
  /** After the record says completed: the kind's `…:ready` event (a failure is only logged). */
  completed?(data: JobPayload<K>, requestedBy: string | null): Promise<void>;
}

interface Registration {
  kind: JobKind;
  /** Whether the kind has job records (mail does not). */
  recorded: boolean;
  concurrency: number;
  handle(job: Job): Promise<unknown>;
}

/** Throws unless every kind has exactly one processor: a worker must not start with a kind unprocessed. */
export function checkProcessors(kinds: readonly JobKind[], registered: readonly JobKind[]): void {
  const count = (k: JobKind) => registered.filter((r) => r === k).length;
  const missing = kinds.filter((k) => count(k) === 0);
  const twice = kinds.filter((k) => count(k) > 1);
  const problems = [missing.length ? `none for ${missing.join(', ')}` : '', twice.length ? `more than one for ${twice.join(', ')}` : ''];
  if (missing.length || twice.length) throw new Error(`job processors: ${problems.filter(Boolean).join('; ')}`);
}

/**
 * Worker role. Worker modules register their processors here; at module init the registry is
 * checked, every kind is handed to its queue and one failed-job handler listens on every queue; at
 * bootstrap, once the queues' connections are up, the stranded-job sweeper starts.
 */
@Injectable()
export class JobWorkers implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = new Logger(JobWorkers.name);
  private readonly registrations: Registration[] = [];
  /** The runs of each Bull job (kind and id) this process has in flight, oldest first. */
  private readonly inFlight = new Map<string, Promise<unknown>[]>();

  constructor(
    private readonly jobs: JobsService,
    private readonly queues: JobQueues,
    private readonly stranded: StrandedJobs,
    private readonly subjects: JobSubjects,
    private readonly metrics: Metrics,
  ) {}

  register<K extends JobKind>(p: JobProcessor<K>): void {
    // The subject's side of a failure for good is JobSubjects' rule (the API's discard uses it too).
    const hook = (job: Job<JobPayload<K>>): FinalFailureHook => this.subjects.failureHook({ id: String(job.id), kind: p.kind, payload: job.data });
    const recorded = JOBS[p.kind].recorded;
    this.registrations.push({
      kind: p.kind,
      recorded,
      concurrency: p.concurrency,
      handle: (job: Job<JobPayload<K>>) =>
        runWithLogContext({ jobId: String(job.id), jobKind: p.kind }, () =>
          this.measured(p.kind, job, () => this.fenced(p.kind, job, () => (recorded ? this.runRecorded(p, job, hook(job)) : this.runUnrecorded(p, job)))),
        ),
    });
  }

  /** At module init (registrations are made when modules are built), as Bull processors always started. */
  onModuleInit() {
    checkProcessors(values(JobKind), this.registrations.map((r) => r.kind));
    for (const r of this.registrations) {
      const { queue, name } = JOBS[r.kind];
      this.queues.of(r.kind).process(name, r.concurrency, (job: Job) => r.handle(job)).catch((e: Error) => this.log.error(`queue ${queue} stopped: ${e.message}`));
    }
    for (const queue of new Set(this.registrations.map((r) => this.queues.of(r.kind)))) {
      queue.on('failed', (job: Job, error: Error) => void this.onFailed(job, error));
    }
  }

  async onApplicationBootstrap() {
    await this.queues.connected();
    await this.stranded.start();
  }

  /**
   * Bull fails a job that stalled too often (its workers kept dying) without running it: a reason
   * outside the job, so its record says retrying (not running) until the sweeper replaces it.
   */
  private async onFailed(job: Job, error: Error) {
    if (!isStalledTooOften(error) || !this.registrationOf(job)?.recorded) return;
    await this.jobs.givenUp(job, error.message).catch((e: Error) => this.log.error(`job ${job.id}: ${e.message}`));
  }

  private registrationOf(job: Job): Registration | undefined {
    return this.registrations.find((x) => JOBS[x.kind].queue === job.queue.name && JOBS[x.kind].name === job.name);
  }

  /** An attempt's duration and outcome, in the metrics. */
  private async measured<T>(kind: JobKind, job: Job, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await run();
      this.metrics.jobAttempt(kind, 'completed', seconds());
      return result;
    } catch (e) {
      this.metrics.jobAttempt(kind, attemptOutcome(e, (job.attemptsMade ?? 0) + 1 >= (job.opts?.attempts ?? 1)), seconds());
      throw e;
    }
  }

  /**
   * A run that stopped superseded gives the Bull job back only after every newer run of it in this
   * process has settled. Bull fences a job's end by its lock, which holds the worker's token, not
   * the run's: when this process took the job over itself (its own lock expired under load and a
   * free slot picked the job up again), the stale run's failure would pass Bull's check and end the
   * newer run's job — Bull would fail or retry it while the newer run still works, and the sweeper
   * would act on a job nobody runs. Once the newer run has ended the job, Bull refuses the stale
   * run's end (its lock is gone); a newer run in another process holds a lock Bull refuses it too.
   */
  private fenced(kind: JobKind, job: Job, run: () => Promise<unknown>): Promise<unknown> {
    const key = `${kind}:${String(job.id)}`;
    const runs = this.inFlight.get(key) ?? [];
    this.inFlight.set(key, runs);
    const ended: Promise<unknown> = run().catch(async (e: unknown) => {
      if (e instanceof SupersededRunError) await newerEnded(runs, ended);
      throw e;
    });
    runs.push(ended);
    void ended
      .catch(() => undefined)
      .finally(() => {
        runs.splice(runs.indexOf(ended), 1);
        if (!runs.length) this.inFlight.delete(key);
      });
    return ended;
  }

  private async runRecorded<K extends JobKind>(p: JobProcessor<K>, job: Job<JobPayload<K>>, onFinalFailure: FinalFailureHook) {
    let requestedBy: string | null = null;
    const result = await this.jobs.run(job, (ctx) => {
      requestedBy = ctx.createdById;
      return p.run(job.data, ctx);
    }, onFinalFailure);
    // Events are the fast path: a failure to send one is logged, never a failed job.
    await p.completed?.(job.data, requestedBy).catch((e: Error) => this.log.warn(`the ready event of job ${job.id} was not sent: ${e.message}`));
    return result;
  }

  /** A kind without a JobRecord (mail): the attempt alone; a PermanentJobError ends it at once. */
  private async runUnrecorded<K extends JobKind>(p: JobProcessor<K>, job: Job<JobPayload<K>>) {
    const attempt = job.attemptsMade + 1;
    const ctx: JobContext = { jobId: String(job.id), attempt, lastAttempt: attempt >= (job.opts.attempts ?? 1), createdById: null, stage: async () => undefined };
    try {
      return await p.run(job.data, ctx);
    } catch (e) {
      if (e instanceof PermanentJobError) await job.discard();
      throw e;
    }
  }
}

/**
 * Settles once every run of `runs` newer than `mine` has ended, and Bull has been told (a run's end
 * is sent to Redis from the microtasks that follow it, before the next macrotask), so that Bull sees
 * the newer run's end before the stale one's.
 */
async function newerEnded(runs: readonly Promise<unknown>[], mine: Promise<unknown>): Promise<void> {
  const waited = new Set<Promise<unknown>>();
  for (;;) {
    const newer = runs.slice(runs.indexOf(mine) + 1).filter((r) => !waited.has(r));
    if (!newer.length) return;
    newer.forEach((r) => waited.add(r));
    await Promise.allSettled(newer);
    await new Promise((r) => setImmediate(r));
  }
}
