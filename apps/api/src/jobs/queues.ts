import type { BullRootModuleOptions } from '@nestjs/bull';
import type { AppConfig } from '../config/app-config';

/** Every Bull queue and the job names it carries, in one place: producers and processors agree. */
export const QueueName = { Reports: 'reports', Mail: 'mail', Bulk: 'bulk', WorkOrderPdfs: 'work-order-pdfs' } as const;

export const ReportJobName = { Finalize: 'finalize', RenderPdf: 'render-pdf' } as const;
export type ReportJobName = (typeof ReportJobName)[keyof typeof ReportJobName];

export const MailJobName = { Send: 'send' } as const;

export const BulkJobName = { Run: 'run' } as const;

/**
 * The `work-order-pdfs` queue is for work-order renders only, so an open never waits behind a
 * finalize. Bull runs lower numbers first: a vet waiting goes ahead of background pre-renders.
 */
export const WorkOrderPdfJobName = { Render: 'render' } as const;
export const WorkOrderPdfPriority = { Interactive: 1, Prerender: 10 } as const;

/**
 * Shared options of every queue: keys under the deployment's prefix, retries with exponential
 * backoff, and a lock short enough (in tests) that a killed worker's job is picked up again soon.
 */
export function bullRootOptions(config: AppConfig): BullRootModuleOptions {
  return {
    url: config.redis.url,
    prefix: `${config.redis.prefix}:bull`,
    settings: {
      lockDuration: config.jobs.lockMs,
      lockRenewTime: Math.floor(config.jobs.lockMs / 2),
      stalledInterval: config.jobs.stalledCheckMs,
      maxStalledCount: 1,
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
