import type { BullRootModuleOptions } from '@nestjs/bull';
import { JobKind, JOBS, QueueName } from '@vetlab/shared';
import type { JobOptions } from 'bull';
import type { AppConfig } from '../config/app-config';
import { MAIL_BACKOFF, mailBackoff } from '../mail/mail-schedule';

/** Bull runs lower numbers first: a vet waiting for a work-order PDF goes ahead of background pre-renders. */
export const WorkOrderPdfPriority = { Interactive: 1, Prerender: 10 } as const;

/**
 * Options of a kind's jobs unless the producer says otherwise (a revived render waits like a
 * pre-render). A mail job retries until its outbox row is sent or given up, each wait chosen by the
 * delivery from the row's schedule.
 */
export const JOB_OPTIONS: Partial<Record<JobKind, JobOptions>> = {
  [JobKind.WorkOrderPdf]: { priority: WorkOrderPdfPriority.Prerender },
  [JobKind.SendEmail]: { attempts: Number.MAX_SAFE_INTEGER, backoff: { type: MAIL_BACKOFF } },
};

/**
 * Shared options of every queue: keys under the deployment's prefix, retries with exponential
 * backoff, and a lock short enough (in tests) that a killed worker's job is picked up again soon.
 */
export function bullRootOptions(config: AppConfig): BullRootModuleOptions {
  return {
    url: config.redis.url,
    // Bull's own reconnect waits grow to 20 s: after an outage the queues would lag the rest of the
    // process (health says ok, enqueues still 503) that long. Every 0.2 s, at most 2 s apart.
    redis: { retryStrategy: (times: number) => Math.min(times * 200, 2000) },
    prefix: `${config.redis.prefix}:bull`,
    settings: {
      lockDuration: config.jobs.lockMs,
      lockRenewTime: Math.floor(config.jobs.lockMs / 2),
      stalledInterval: config.jobs.stalledCheckMs,
      maxStalledCount: 1,
      backoffStrategies: { [MAIL_BACKOFF]: mailBackoff(config.mail) },
    },
    defaultJobOptions: {
      attempts: config.jobs.attempts,
      backoff: { type: 'exponential', delay: config.jobs.backoffMs },
      // The database keeps the history (JobRecord, outbox); Redis keeps a bounded tail.
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
  };
}

/** Items grouped by the queue of their job kind, in their order (one Redis round trip per queue). */
export function byQueue<T>(items: Iterable<T>, kindOf: (item: T) => JobKind): Map<QueueName, T[]> {
  const groups = new Map<QueueName, T[]>();
  for (const item of items) {
    const queue = JOBS[kindOf(item)].queue;
    const group = groups.get(queue);
    if (group) group.push(item);
    else groups.set(queue, [item]);
  }
  return groups;
}
