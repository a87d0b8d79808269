import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { JOBS, JobKind, OpsOverview, QueueCounts, QueueName, values } from '@vetlab/shared';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { STUCK_COUNTER, StuckCounter } from '../ops-ports';
import { lastHour, lastHourStart } from './last-hour';
import { OpsStatsRepository } from './ops-stats.repository';
import { QueuePauses } from './queue-pauses.service';
import { QueueProbe, QueueSnapshot } from './queue-probe';
import { workersByQueue } from './worker-heartbeats';

const ZERO: QueueCounts = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0, paused: 0 };

/**
 * `GET /api/ops/overview` and the live `ops:overview`: per queue, Bull's counts, its pause, the
 * workers serving it and its last hour. With Redis away the console still opens: `redis: false`,
 * zero counts and no workers (the pauses and the last hour come from the database).
 *
 * A computed overview is served again for OPS_OVERVIEW_CACHE_MS (a console refresh storm or many
 * API requests cost one computation a second); a pause or resume drops it.
 */
@Injectable()
export class OpsOverviewService {
  private cached: { at: number; value: Promise<OpsOverview> } | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly stats: OpsStatsRepository,
    private readonly probe: QueueProbe,
    private readonly pauses: QueuePauses,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(STUCK_COUNTER) private readonly stuck: StuckCounter | null,
  ) {
    pauses.onChange(() => (this.cached = null));
  }

  get(): Promise<OpsOverview> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.config.ops.overviewCacheMs) return this.cached.value;
    const value = this.compute(now);
    this.cached = { at: now, value };
    value.catch(() => (this.cached = this.cached?.value === value ? null : this.cached));
    return value;
  }

  async compute(now = Date.now()): Promise<OpsOverview> {
    const [work, pauses, snapshot, stuck] = await Promise.all([
      this.stats.finishedSince(this.em.fork(), new Date(lastHourStart(now))),
      this.pauses.list(),
      this.snapshot(now),
      this.stuckCounts(),
    ]);
    const hour = lastHour(work, now);
    const serving = workersByQueue(snapshot?.workers ?? []);
    return {
      at: new Date(now).toISOString(),
      redis: snapshot != null,
      queues: values(QueueName).map((queue) => ({
        queue,
        kinds: values(JobKind).filter((k) => JOBS[k].queue === queue),
        counts: snapshot?.counts[queue] ?? ZERO,
        pause: pauses.find((p) => p.queue === queue) ?? null,
        workers: serving[queue].workers,
        renderThreads: serving[queue].renderThreads,
        lastHour: hour[queue],
        stuck: stuck[queue] ?? 0,
      })),
      workers: snapshot?.workers ?? [],
    };
  }

  /** Null when Redis is away or does not answer in time. */
  private async snapshot(now: number): Promise<QueueSnapshot | null> {
    if (!this.probe.ready()) return null;
    return this.probe.snapshot(now).catch(() => null);
  }

  private async stuckCounts(): Promise<Partial<Record<QueueName, number>>> {
    if (!this.stuck) return {};
    return this.stuck.countByQueue().catch(() => ({}));
  }
}
