import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { JobKind, JobPayload, JOBS, QueueName } from '@vetlab/shared';
import type { Job, JobOptions, JobStatus, Queue } from 'bull';
import DataLoader from 'dataloader';
import { queueUnavailable, UnavailableError } from '../common/domain-error';
import { raceTimer } from '../common/deadline';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { byQueue, JOB_OPTIONS } from './queues';
import { boundedQueueCall } from '../redis/bounded-queue-call';
import { whenSettled } from '../redis/when-settled';

/** How long `remove` waits for an active job to be moved to failed or completed by its worker. */
const FINISHING_MS = 3000;

/** Bull's sorted sets and lists of a queue, in the order job.getState looks at them. */
const BULL_SETS = [
  { key: 'completed', state: 'completed' },
  { key: 'failed', state: 'failed' },
  { key: 'delayed', state: 'delayed' },
] as const;
const BULL_LISTS = [
  { key: 'active', state: 'active' },
  { key: 'wait', state: 'waiting' },
  { key: 'paused', state: 'paused' },
] as const;

/** Above this many ids, `states` reads each Bull list once rather than scanning it per id. */
const LPOS_MAX_IDS = 32;

type JobAdd = { kind: JobKind; jobId: string; payload: object; opts?: JobOptions };

/**
 * The only producer of every queue. The Bull job id is always the JobRecord id (the outbox id for a
 * mail), so adding an id that is already queued does nothing (Bull dedupes by job id).
 *
 * Adds made in the same turn of the event loop (twenty signers' finalizes, claimed together) go to
 * Redis together, one round trip per queue (Bull's addBulk, a MULTI of the same add script).
 *
 * It fails fast: Bull's clients would hold a command offline for minutes while Redis is away. With
 * Redis not connected every call throws QUEUE_UNAVAILABLE (503) at once, and an answer that does
 * not come within REDIS_COMMAND_TIMEOUT_MS (a frozen Redis keeps its connections open) fails the
 * same way. A request calls `assertReady` before it commits work that needs a queue.
 */
@Injectable()
export class JobQueues implements OnApplicationBootstrap {
  private readonly queues: Record<QueueName, Queue>;
  private readonly adds = new DataLoader<JobAdd, void>((jobs) => this.addNow(jobs), { cache: false });

  constructor(
    @InjectQueue(QueueName.Reports) reports: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Bulk) bulk: Queue,
    @InjectQueue(QueueName.WorkOrderPdfs) workOrderPdfs: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.queues = { reports, mail, bulk, 'work-order-pdfs': workOrderPdfs };
  }

  /**
   * Both roles, before a process serves: an API process listens (and a worker takes jobs) once its
   * queues' Redis connections are up, have failed, or a few seconds have passed. Otherwise the
   * first requests a new process gets (a rolling deploy behind nginx) could be refused QUEUE_UNAVAILABLE
   * while Redis is fine, only because the connections were still opening.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.settled();
  }

  /** Every queue, once each. */
  all(): Queue[] {
    return Object.values(this.queues);
  }

  /** The queue that carries a kind's jobs. */
  of(kind: JobKind): Queue {
    return this.queues[JOBS[kind].queue];
  }

  add<K extends JobKind>(kind: K, jobId: string, payload: JobPayload<K>, opts = JOB_OPTIONS[kind]): Promise<void> {
    return this.bounded(() => this.adds.load({ kind, jobId, payload, opts }));
  }

  /** A finished Bull job (failed or completed) the database still expects: removed, then added afresh (its attempts too). */
  async replace<K extends JobKind>(kind: K, jobId: string, payload: JobPayload<K>): Promise<void> {
    await this.remove(kind, jobId);
    await this.add(kind, jobId, payload);
  }

  /**
   * Forgets a job Bull holds, so that its id can be added again (a resumed bulk run, a retried
   * job): returns the state it was in (null: Redis held nothing), or false when a worker runs it.
   * An active one is waited for up to FINISHING_MS: a job whose record already says failed is
   * still active in Bull until its worker has moved it (the record is written first).
   */
  async remove(kind: JobKind, jobId: string): Promise<JobStatus | 'stuck' | null | false> {
    for (const deadline = Date.now() + FINISHING_MS; ; await new Promise((r) => setTimeout(r, 50))) {
      const found = await this.find(kind, jobId);
      if (!found) return null;
      if (found.state !== 'active') {
        await this.bounded(() => found.job.remove());
        return found.state;
      }
      if (Date.now() > deadline) return false;
    }
  }

  /** Bull's job under that id and its state (null when Redis has none), failing fast like every call here. */
  async find(kind: JobKind, jobId: string): Promise<{ job: Job; state: JobStatus | 'stuck' } | null> {
    const job = await this.bounded(() => this.of(kind).getJob(jobId));
    return job ? { job, state: await this.bounded(() => job.getState()) } : null;
  }

  /**
   * A person now waits for a job queued at a lower priority: it goes to the front. Bull cannot
   * change a waiting job's priority, so it is removed and added again under the same id. A job a
   * worker already took cannot be removed (it is locked): then it is running anyway.
   */
  async promote<K extends JobKind>(kind: K, jobId: string, payload: JobPayload<K>, priority: number): Promise<void> {
    const job = await this.bounded(() => this.of(kind).getJob(jobId));
    if (!job) return this.add(kind, jobId, payload, { priority });
    if (job.opts.priority === priority) return;
    const state = await this.bounded(() => job.getState());
    if (state !== 'waiting' && state !== 'delayed') return;
    try {
      await this.bounded(() => job.remove());
    } catch {
      return; // taken by a worker meanwhile
    }
    await this.add(kind, jobId, payload, { priority });
  }

  /**
   * Bull's state of many jobs of one queue in one round trip (a page of the console, a sweep): null
   * for an id Redis holds nothing under. The same checks as Bull's job.getState, pipelined. A list
   * (waiting, paused) may be 10,000 deep and LPOS scans it once per id: for more than a few ids
   * each list is read once instead.
   */
  async states(queue: QueueName, ids: readonly string[]): Promise<Map<string, JobStatus | 'stuck' | null>> {
    const out = new Map<string, JobStatus | 'stuck' | null>();
    if (!ids.length) return out;
    const q = this.queues[queue];
    const wholeLists = ids.length > LPOS_MAX_IDS;
    const pipe = q.client.pipeline();
    if (wholeLists) for (const list of BULL_LISTS) pipe.lrange(q.toKey(list.key), 0, -1);
    for (const id of ids) {
      pipe.exists(q.toKey(id));
      for (const set of BULL_SETS) pipe.zscore(q.toKey(set.key), id);
      if (!wholeLists) for (const list of BULL_LISTS) pipe.lpos(q.toKey(list.key), id);
    }
    const answers = (await this.bounded(() => pipe.exec())) ?? [];
    const lists = wholeLists ? BULL_LISTS.map((_, k) => new Set((answers[k]?.[1] as string[] | undefined) ?? [])) : [];
    const skip = lists.length;
    const per = 1 + BULL_SETS.length + (wholeLists ? 0 : BULL_LISTS.length);
    ids.forEach((id, i) => {
      const value = (k: number) => answers[skip + i * per + k]?.[1];
      if (!value(0)) return void out.set(id, null);
      const inSet = BULL_SETS.findIndex((_, k) => value(k + 1) != null);
      if (inSet >= 0) return void out.set(id, BULL_SETS[inSet].state);
      const inList = BULL_LISTS.findIndex((_, k) => (wholeLists ? lists[k].has(id) : value(BULL_SETS.length + 1 + k) != null));
      out.set(id, inList < 0 ? 'stuck' : BULL_LISTS[inList].state);
    });
    return out;
  }

  /**
   * Removes a job whatever Bull holds it as, unless a worker runs it (active, or taken between the
   * look and the removal: its lock refuses); true when Redis holds no job under the id afterwards.
   */
  async removeUnlessActive(kind: JobKind, jobId: string): Promise<boolean> {
    const found = await this.find(kind, jobId);
    if (!found) return true;
    if (found.state === 'active') return false;
    try {
      await this.bounded(() => found.job.remove());
      return true;
    } catch (e) {
      if (e instanceof UnavailableError) throw e;
      return false;
    }
  }

  /** A delayed job (waiting out its retry backoff) runs now; false when it is not delayed (any more). */
  async runDelayedNow(kind: JobKind, jobId: string): Promise<boolean> {
    const found = await this.find(kind, jobId);
    if (found?.state !== 'delayed') return false;
    try {
      await this.bounded(() => found.job.promote());
      return true;
    } catch (e) {
      if (e instanceof UnavailableError) throw e;
      return false; // promoted or taken meanwhile
    }
  }

  /**
   * A job held by a worker that no longer answers (its lock may still be held): failed for good now,
   * with `reason` (a reason outside the job, so the sweeper replaces it). False when it is not
   * active (any more). The hung run, if it ever wakes, is fenced off by its subject's run token.
   */
  async failHung(kind: JobKind, jobId: string, reason: string): Promise<boolean> {
    const found = await this.find(kind, jobId);
    if (found?.state !== 'active') return false;
    await found.job.discard();
    await this.bounded(() => found.job.moveToFailed({ message: reason }, true));
    // Moving it ignoring the lock leaves the hung worker's lock behind, and Bull removes no locked
    // job: let go of it, so that the sweeper can replace the job now rather than when it expires.
    await this.bounded(() => this.of(kind).client.del(found.job.lockKey()));
    return true;
  }

  /** Whether Redis answers now on every queue (a worker that starts with Redis away re-queues nothing). */
  ready(): boolean {
    return Object.values(this.queues).every((q) => q.client.status === 'ready');
  }

  /** Throws QUEUE_UNAVAILABLE (503) unless Redis is connected: checked before committing work that must be queued. */
  assertReady(): void {
    if (!this.ready()) throw queueUnavailable();
  }

  /** A call to Redis that fails at once when it is away, and after REDIS_COMMAND_TIMEOUT_MS when it does not answer. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return boundedQueueCall(this.ready(), this.config.redis.commandTimeoutMs, call);
  }

  /**
   * Resolves once every Redis connection of every queue is ready — or has failed (Redis away: the
   * worker still starts and reports it), or after `ms`; never rejects. Why wait at all: Bull names a
   * worker's blocking connection (CLIENT SETNAME) once its client is up and drops that promise, so a
   * queue closed meanwhile (a worker stopped right after it started) rejects inside Bull, unhandled.
   * Naming it again and waiting for the answer covers the first (one connection answers in order).
   * Workers wait for this at bootstrap.
   */
  async connected(ms = 5_000): Promise<void> {
    const queues = Object.values(this.queues);
    await this.settled(ms);
    if (!this.ready()) return;
    const named = Promise.all(queues.map((q) => q.setWorkerName().catch(() => undefined)));
    await raceTimer(named, ms, () => undefined);
  }

  /** Every open Redis connection of every queue is ready, has failed, or `ms` have passed; never rejects. */
  private async settled(ms = 5_000): Promise<void> {
    await Promise.all(Object.values(this.queues).flatMap((q) => q.clients.map((client) => whenSettled(client, ms))));
  }

  /** One addBulk per queue; an item fails only with its queue's round trip. */
  private async addNow(jobs: readonly JobAdd[]): Promise<(void | Error)[]> {
    const failed = new Map<QueueName, Error>();
    await Promise.all(
      [...byQueue(jobs, (j) => j.kind)].map(([queue, list]) =>
        this.queues[queue]
          .addBulk(list.map((j) => ({ name: JOBS[j.kind].name, data: j.payload, opts: { ...j.opts, jobId: j.jobId } })))
          .catch((e: Error) => void failed.set(queue, e)),
      ),
    );
    return jobs.map((j) => failed.get(JOBS[j.kind].queue));
  }
}
