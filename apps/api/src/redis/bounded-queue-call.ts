import { raceTimer } from '../common/deadline';
import { queueUnavailable } from '../common/domain-error';
import { isRedisUnreachable } from '../common/redis-rejection-guard';

/**
 * A call to the queues' Redis that fails fast (QUEUE_UNAVAILABLE, a 503): at once when Redis is not
 * connected (`ready` false), after `ms` when it does not answer (a frozen Redis keeps its
 * connections open), and when the call itself says Redis is unreachable. The producer (JobQueues)
 * and the console's probe (QueueProbe) both call Redis through it.
 */
export async function boundedQueueCall<T>(ready: boolean, ms: number, call: () => Promise<T>): Promise<T> {
  if (!ready) throw queueUnavailable();
  try {
    return await raceTimer(call(), ms, () => {
      throw queueUnavailable();
    });
  } catch (e) {
    throw isRedisUnreachable(e) ? queueUnavailable() : e;
  }
}
