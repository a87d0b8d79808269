import type { TestRedis } from '../../apps/api/test/support/redis-server';
import type { TestSmtp } from '../../apps/api/test/support/smtp';
import type { Prng } from '../../apps/api/src/seed/prng';
import type { BenchStack } from '../lib/stack';

export type FaultKind = 'worker SIGKILL' | 'Redis restart' | 'SMTP refusing';

/** One fault, from its start until the service was whole again (ms since the drill started). */
export interface FaultWindow {
  fault: FaultKind;
  detail: string;
  from: number;
  to: number | null;
  /** A killed worker's pid. */
  pid?: number;
  /**
   * When the killed worker was seen gone (its exit), ms since the drill started. A process goes on
   * holding its sockets for a moment after SIGKILL is sent: the SMTP server may take a copy from it
   * after `from`, and the sender still never hears the 250.
   */
  exitedAt?: number;
}

/** When the faults happen, in ms from the start of the load. */
export interface FaultSchedule {
  killEveryMs: number;
  redisAtMs: number;
  redisDownMs: number;
  smtpAtMs: number;
  smtpRefusingMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the faults while `loading()` says the load goes on: a random worker killed with SIGKILL
 * every few seconds and started again at once (as a supervisor would, again and again until it
 * starts), Redis killed once and started again on its append-only file, SMTP refusing every
 * message for a while. Resolves when every fault is over and every worker runs again.
 */
export async function runFaults(
  stack: BenchStack,
  workers: number,
  redis: TestRedis,
  smtp: TestSmtp,
  schedule: FaultSchedule,
  prng: Prng,
  now: () => number,
  loading: () => boolean,
): Promise<FaultWindow[]> {
  const windows: FaultWindow[] = [];
  const open = (fault: FaultKind, detail: string) => {
    const w: FaultWindow = { fault, detail, from: now(), to: null };
    windows.push(w);
    console.log(`  ${(w.from / 1000).toFixed(1).padStart(6)} s  ${fault}: ${detail}`);
    return w;
  };

  const restarting = new Map<number, Promise<void>>();
  const restart = async (i: number, w: FaultWindow) => {
    for (;;) {
      try {
        await stack.startWorker(i);
        break;
      } catch {
        await sleep(1000);
      }
    }
    w.to = now();
    restarting.delete(i);
  };

  const killer = async () => {
    for (;;) {
      await sleep(schedule.killEveryMs * prng.float(0.6, 1.4));
      if (!loading()) return;
      const up = Array.from({ length: workers }, (_, i) => i).filter((i) => !restarting.has(i));
      if (!up.length) continue;
      const i = prng.pick(up);
      const w = open('worker SIGKILL', `worker ${i + 1}`);
      w.pid = (await stack.killWorker(i)) ?? undefined;
      w.exitedAt = now();
      restarting.set(i, restart(i, w));
    }
  };

  const redisRestart = async () => {
    await sleep(schedule.redisAtMs);
    const w = open('Redis restart', `killed, started again after ${schedule.redisDownMs / 1000} s (AOF)`);
    await redis.stop();
    await sleep(schedule.redisDownMs);
    await redis.start();
    w.to = now();
  };

  const smtpRefusal = async () => {
    await sleep(schedule.smtpAtMs);
    const w = open('SMTP refusing', `451 to every message for ${schedule.smtpRefusingMs / 1000} s`);
    smtp.refuseNext(Number.MAX_SAFE_INTEGER);
    await sleep(schedule.smtpRefusingMs);
    smtp.refuseNext(0);
    w.to = now();
  };

  await Promise.all([killer(), redisRestart(), smtpRefusal()]);
  await Promise.all(restarting.values());
  return windows;
}
