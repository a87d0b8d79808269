import { Inject, Injectable, Logger } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobState, JOBS, QueueName, StuckReason, values } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueues } from '../../jobs/job-queues.service';
import { byQueue } from '../../jobs/queues';
import { JobRecord } from '../../jobs/job.entity';
import { StuckCounter } from '../ops-ports';
import { stuckLimit } from './ops-job-rules';
import { OpsJobsRepository } from './ops-jobs.repository';

/** A kind's limit is taken from its recent runs at most this often. */
const LIMITS_TTL_MS = 30_000;
/** The overview asks for counts every second while a console is open: the list is reused this long. */
const COUNT_TTL_MS = 5_000;

/** Why a record is stuck, for how long, and the limit it passed. */
export interface StuckVerdict {
  reason: StuckReason;
  forMs: number;
  limitMs: number | null;
}

/** Bull's state per record id: null when Redis holds nothing under it; absent when Redis could not be asked. */
export type BullStates = Map<string, string | null>;

/**
 * Stuck work: a record `active` far longer than its kind's p99 (OPS_STUCK_FACTOR × p99, never under
 * OPS_STUCK_MIN_MS), or a record the database expects (queued, active, retrying) whose Bull job Redis
 * lacks, older than JOB_STRANDED_GRACE_MS (a job being added right now is not stuck). The one place
 * that says so: the list, each row's `hand_back` action, the hand-back's check and the overview's
 * counts (STUCK_COUNTER) all ask here.
 */
@Injectable()
export class OpsStuckService implements StuckCounter {
  private readonly log = new Logger(OpsStuckService.name);
  private limitsCache: { at: number; limits: Map<JobKind, number> } | null = null;
  private countCache: { at: number; counts: Partial<Record<QueueName, number>> } | null = null;
  private counting: Promise<Partial<Record<QueueName, number>>> | null = null;

  constructor(
    private readonly repo: OpsJobsRepository,
    private readonly queues: JobQueues,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Every stuck record with its verdict, longest stuck first. */
  async list(): Promise<{ record: JobRecord; verdict: StuckVerdict; bullState: string | null | undefined }[]> {
    const records = await this.repo.running(new Date(Date.now() - this.config.jobs.strandedGraceMs));
    const states = await this.bullStates(records);
    const limits = await this.limits();
    const now = Date.now();
    return records
      .flatMap((record) => {
        const verdict = this.verdict(record, states, limits, now);
        return verdict ? [{ record, verdict, bullState: states.has(record.id) ? states.get(record.id) : undefined }] : [];
      })
      .sort((a, b) => b.verdict.forMs - a.verdict.forMs);
  }

  /**
   * Stuck records per queue (the overview's cards, asked every second while a console is open).
   * Answered from the last count at once; one that is older than COUNT_TTL_MS is counted again in
   * the background, once however many ask meanwhile, so the overview never waits for the list.
   */
  async countByQueue(): Promise<Partial<Record<QueueName, number>>> {
    const cached = this.countCache;
    if (cached && Date.now() - cached.at < COUNT_TTL_MS) return cached.counts;
    this.counting ??= this.count().finally(() => (this.counting = null));
    if (cached) {
      this.counting.catch((e: Error) => this.log.warn(`stuck jobs not counted: ${e.message}`));
      return cached.counts;
    }
    return this.counting;
  }

  private async count(): Promise<Partial<Record<QueueName, number>>> {
    const counts: Partial<Record<QueueName, number>> = {};
    for (const { record } of await this.list()) counts[JOBS[record.kind].queue] = (counts[JOBS[record.kind].queue] ?? 0) + 1;
    this.countCache = { at: Date.now(), counts };
    return counts;
  }

  /** The verdict on one record, given Bull's states (a record absent from `states`: Redis was not asked). */
  verdict(record: JobRecord, states: BullStates, limits: Map<JobKind, number>, now = Date.now()): StuckVerdict | null {
    if (!ACTIVE_JOB_STATES.includes(record.state)) return null;
    if (states.has(record.id) && states.get(record.id) === null) {
      const forMs = now - record.createdAt.getTime();
      if (forMs > this.config.jobs.strandedGraceMs) return { reason: StuckReason.MissingInRedis, forMs, limitMs: null };
    }
    if (record.state !== JobState.Active) return null;
    // This attempt's start: its first stage, or the first start of the job.
    const began = record.stages?.[0] ? Date.parse(record.stages[0].at) : (record.startedAt?.getTime() ?? now);
    const limitMs = limits.get(record.kind) ?? this.config.ops.stuckMinMs;
    const forMs = now - began;
    return forMs > limitMs ? { reason: StuckReason.TooLong, forMs, limitMs } : null;
  }

  /** Each kind's limit, from its recent completed runs (kept LIMITS_TTL_MS). */
  async limits(): Promise<Map<JobKind, number>> {
    if (this.limitsCache && Date.now() - this.limitsCache.at < LIMITS_TTL_MS) return this.limitsCache.limits;
    const limits = new Map<JobKind, number>();
    const { stuckFactor, stuckMinMs } = this.config.ops;
    for (const kind of values(JobKind).filter((k) => JOBS[k].recorded)) limits.set(kind, stuckLimit(await this.repo.durations(kind), stuckFactor, stuckMinMs));
    this.limitsCache = { at: Date.now(), limits };
    return limits;
  }

  /** Bull's state of each record, one pipeline per queue; empty when Redis cannot be asked (nothing shows as missing then). */
  async bullStates(records: readonly JobRecord[]): Promise<BullStates> {
    const out: BullStates = new Map();
    try {
      for (const [queue, group] of byQueue(records, (r) => r.kind)) {
        for (const [id, state] of await this.queues.states(queue, group.map((r) => r.id))) out.set(id, state);
      }
    } catch (e) {
      this.log.warn(`Bull's states not read: ${(e as Error).message}`);
      return new Map();
    }
    return out;
  }
}
