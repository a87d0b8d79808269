import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { JobKind, JobState, JOBS, MailStatus, QueueName } from '@vetlab/shared';
import { JobRecord } from '../../jobs/job.entity';
import { OutboxMessage } from '../../mail/outbox.entity';
import { FinishedWork } from './last-hour';

/** A timestamp as a driver returns it raw: a Date (PostgreSQL), epoch ms (SQLite), or text. */
const ms = (v: unknown): number => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Date.parse(String(v)));

/**
 * What finished since a moment, read from the records (never from a copy): one query on `jobs`
 * (recorded kinds) and one on `outbox` (mail). Read-only: the tables' writers are elsewhere.
 *
 * Rows come back raw (no entities: an hour of a busy lab is thousands of rows, and hydrating them
 * cost more than the query). The `jobs` query filters on finished_at alone, so both planners take
 * its index (with `state IN (…)` beside it SQLite chose the state index and read every finished
 * record); cancelled records are dropped here.
 */
@Injectable()
export class OpsStatsRepository {
  async finishedSince(em: EntityManager, since: Date): Promise<FinishedWork[]> {
    // Two forks, so that PostgreSQL runs both on two pooled connections at once (SQLite takes them in turn).
    const [jobs, mails] = await Promise.all([
      (em.fork() as SqlEntityManager)
        .createQueryBuilder(JobRecord)
        .select(['kind', 'state', 'createdAt', 'finishedAt'])
        .where({ finishedAt: { $gte: since } })
        .execute<{ kind: JobKind; state: JobState; created_at: unknown; finished_at: unknown }[]>('all', false),
      // A failed mail's last attempt was due at next_attempt_at: that is when it failed (the row keeps no failed_at).
      (em.fork() as SqlEntityManager)
        .createQueryBuilder(OutboxMessage)
        .select(['status', 'createdAt', 'sentAt', 'nextAttemptAt'])
        .where({ $or: [{ status: MailStatus.Sent, sentAt: { $gte: since } }, { status: MailStatus.Failed, nextAttemptAt: { $gte: since } }] })
        .execute<{ status: MailStatus; created_at: unknown; sent_at: unknown; next_attempt_at: unknown }[]>('all', false),
    ]);
    const out: FinishedWork[] = [];
    for (const j of jobs) {
      if (j.state !== JobState.Completed && j.state !== JobState.Failed) continue;
      out.push(work(JOBS[j.kind].queue, ms(j.created_at), ms(j.finished_at), j.state === JobState.Failed));
    }
    for (const m of mails) out.push(work(QueueName.Mail, ms(m.created_at), ms(m.status === MailStatus.Sent ? m.sent_at : m.next_attempt_at), m.status === MailStatus.Failed));
    return out;
  }
}

const work = (queue: QueueName, createdAt: number, finishedAt: number, failed: boolean): FinishedWork => ({ queue, finishedAt, failed, ms: finishedAt - createdAt });
