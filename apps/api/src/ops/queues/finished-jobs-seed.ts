import { EntityManager } from '@mikro-orm/core';
import { JobKind, JobState, JobSubjectType } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { JobRecord } from '../../jobs/job.entity';
import { Prng } from '../../seed/prng';

/** Kinds of a busy lab's history, by weight (mail has no job records). */
const KINDS: [JobKind, JobSubjectType, number][] = [
  [JobKind.WorkOrderPdf, 'work_order', 45],
  [JobKind.FinalizeReport, 'report', 40],
  [JobKind.ReportPdf, 'report', 10],
  [JobKind.BulkProtocols, 'bulk', 5],
];

/**
 * Job records of finished work, written in multi-row inserts of `chunk`: the history the ops
 * console reads from (the bench's 100,000 completed and 5,000 failed). Finish times spread evenly
 * over `spreadMs` before `now`, durations 0.2–8 s; the same seed gives the same records.
 */
export async function insertFinishedJobs(em: EntityManager, opts: { completed: number; failed: number; now: number; spreadMs: number; chunk?: number; seed?: number }): Promise<void> {
  const prng = new Prng(opts.seed ?? 16);
  const total = opts.completed + opts.failed;
  const chunk = opts.chunk ?? 1000;
  const weight = KINDS.reduce((n, [, , w]) => n + w, 0);
  const kindOf = () => {
    let r = prng.next() * weight;
    for (const k of KINDS) if ((r -= k[2]) < 0) return k;
    return KINDS[0];
  };
  for (let from = 0; from < total; from += chunk) {
    const rows = Array.from({ length: Math.min(chunk, total - from) }, (_, j) => {
      const i = from + j;
      const [kind, subjectType] = kindOf();
      // Finish times are random, so the failed ones (the first written) spread like the rest.
      const failed = i < opts.failed;
      const finishedAt = opts.now - Math.floor(prng.next() * opts.spreadMs);
      const ms = prng.int(200, 8000);
      return {
        id: randomUUID(),
        kind,
        state: failed ? JobState.Failed : JobState.Completed,
        subjectType,
        subjectId: randomUUID(),
        progress: failed ? 40 : 100,
        attempts: failed ? 5 : 1,
        failedReason: failed ? 'bench: the renderer gave up' : null,
        createdAt: new Date(finishedAt - ms),
        startedAt: new Date(finishedAt - ms + 50),
        finishedAt: new Date(finishedAt),
      };
    });
    await em.insertMany(JobRecord, rows);
  }
}
