import { MikroORM } from '@mikro-orm/core';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { QueueCounts } from '@vetlab/shared';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { raceTimer } from '../common/deadline';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataDiskSpace } from '../health/disk-space';
import { QueueProbe } from '../ops/queues/queue-probe';
import { collectProcessMetrics } from './process-metrics';

/** How long a scrape waits for Redis's queue counts before it reports redis_up 0. */
export const QUEUE_SAMPLE_TIMEOUT_MS = 500;

export type JobOutcome = 'completed' | 'failed' | 'retried' | 'superseded';
export type MailOutcome = 'sent' | 'failed' | 'retried';

/** knex's pool (tarn) as far as the gauges read it. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/**
 * This process's Prometheus metrics, in a registry of its own (every series carries the process's
 * `role`). Call sites report through the small methods below; queue depths and pool use are read
 * when a scrape asks for them.
 */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'vetlab_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly jobDuration = new Histogram({
    name: 'vetlab_job_duration_seconds',
    help: 'Attempts of background jobs by kind and outcome, from start to end in this worker',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  private readonly jobOutcomes = new Counter({
    name: 'vetlab_job_attempts_total',
    help: 'Attempts of background jobs by kind and outcome (completed, failed for good, retried, superseded by a newer run)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly renderDuration = new Histogram({
    name: 'vetlab_pdf_render_duration_seconds',
    help: 'PDF renders by document, time spent in the render thread',
    labelNames: ['document'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [this.registry],
  });

  private readonly renderHeap = new Gauge({
    name: 'vetlab_pdf_render_thread_heap_bytes',
    help: 'JavaScript heap used by each render thread, as of its last render',
    labelNames: ['thread'] as const,
    registers: [this.registry],
  });

  private readonly mailOutcomes = new Counter({
    name: 'vetlab_mail_attempts_total',
    help: 'Mail deliveries by outcome: sent, failed for good, retried later',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly queueJobs = new Gauge({
    name: 'vetlab_queue_jobs',
    help: 'Jobs in each queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  /** Node's default metrics; the event-loop histogram and GC observer stop with the app. */
  private readonly processMetrics: { stop(): void };

  private readonly redisUp = new Gauge({
    name: 'vetlab_redis_up',
    help: 'Whether Redis answered the queue counts of this scrape in time (1) or not (0)',
    registers: [this.registry],
  });

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly probe: QueueProbe,
    private readonly orm: MikroORM,
  ) {
    this.registry.setDefaultLabels({ role: config.role });
    // Process CPU, memory, handles, GC and the event loop's delay (nodejs_eventloop_lag_*).
    this.processMetrics = collectProcessMetrics(this.registry);
    const pool = () => this.pool();
    const disk = () => dataDiskSpace(config);
    new Gauge({
      name: 'vetlab_data_disk_bytes',
      help: "This process's data disk (the embedded database, local files, the outbox; the fullest filesystem of them): free and total bytes",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const d = disk();
        this.reset();
        if (!d) return;
        this.set({ state: 'free' }, d.freeBytes);
        this.set({ state: 'total' }, d.totalBytes);
      },
    });
    new Gauge({
      name: 'vetlab_db_pool_connections',
      help: 'Database connections of this process: used, free, and requests waiting for one (pending)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        this.set({ state: 'used' }, p.used);
        this.set({ state: 'free' }, p.free);
        this.set({ state: 'pending' }, p.pending);
      },
    });
  }

  onModuleDestroy(): void {
    this.processMetrics.stop();
  }

  /** One HTTP request (its route label already made by routeLabel). */
  httpRequest(route: string, method: string, statusClass: string, seconds: number): void {
    this.httpDuration.observe({ route, method, status_class: statusClass }, seconds);
  }

  jobAttempt(kind: string, outcome: JobOutcome, seconds: number): void {
    this.jobDuration.observe({ kind, outcome }, seconds);
    this.jobOutcomes.inc({ kind, outcome });
  }

  rendered(document: string, renderMs: number, thread?: { id: number; heapUsed?: number }): void {
    this.renderDuration.observe({ document }, renderMs / 1000);
    if (thread?.heapUsed != null) this.renderHeap.set({ thread: String(thread.id) }, thread.heapUsed);
  }

  mail(outcome: MailOutcome): void {
    this.mailOutcomes.inc({ outcome });
  }

  /** The text a scrape gets: queue depths sampled now (bounded), then every metric. */
  async scrape(): Promise<string> {
    await this.sampleQueues();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Queue depths from one pipelined Redis round trip, bounded by QUEUE_SAMPLE_TIMEOUT_MS: a Redis
   * that is away or frozen leaves the depths out and sets redis_up 0, and the scrape still answers.
   */
  private async sampleQueues(): Promise<void> {
    this.queueJobs.reset();
    try {
      const snapshot = await raceTimer(this.probe.snapshot(), QUEUE_SAMPLE_TIMEOUT_MS, () => null);
      if (!snapshot) return void this.redisUp.set(0);
      for (const [queue, counts] of Object.entries(snapshot.counts) as [string, QueueCounts][]) {
        for (const [state, n] of Object.entries(counts)) this.queueJobs.set({ queue, state }, n);
      }
      this.redisUp.set(1);
    } catch {
      this.redisUp.set(0);
    }
  }

  /** knex's pool when the driver has one (PostgreSQL); SQLite's one connection otherwise. */
  private pool(): { used: number; free: number; pending: number } {
    const knex = (this.orm.em.getConnection() as unknown as { getKnex?: () => { client?: { pool?: TarnPool } } }).getKnex?.();
    const p = knex?.client?.pool;
    if (!p || typeof p.numUsed !== 'function') return { used: 0, free: 1, pending: 0 };
    return { used: p.numUsed(), free: p.numFree(), pending: p.numPendingAcquires() };
  }
}
