import { QueueName } from '@vetlab/shared';

/**
 * How the overview (ops/queues) learns how many jobs are stuck per queue without knowing how stuck
 * is decided (ops/jobs owns that rule). Provided under STUCK_COUNTER by the jobs side of the console.
 */
export const STUCK_COUNTER = Symbol('STUCK_COUNTER');
export interface StuckCounter {
  countByQueue(): Promise<Partial<Record<QueueName, number>>>;
}
