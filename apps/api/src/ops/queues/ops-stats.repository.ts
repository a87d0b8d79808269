import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { JobKind, JobState, JOBS, MailStatus, QueueName } from '@vetlab/shared';
import { JobRecord } from '../../jobs/job.entity';
import { OutboxMessage } from '../../mail/outbox.entity';
import { FinishedWork } from './last-hour';

/**
 * What finished since a moment, read from the records (never from a copy): one query on `jobs`
 * (recorded kinds, by the index on finished_at) and one on `outbox` (mail). Read-only: the tables'
 * writers are elsewhere.
 */
@Injectable()
export class OpsStatsRepository {
  async finishedSince(em: EntityManager, since: Date): Promise<FinishedWork[]> {
    const jobs = await em.find(
      JobRecord,
      { finishedAt: { $gte: since }, state: { $in: [JobState.Completed, JobState.Failed] } },
      { fields: ['kind', 'state', 'createdAt', 'finishedAt'], disableIdentityMap: true },
    );
    // A failed mail's last attempt was due at next_attempt_at: that is when it failed (the row keeps no failed_at).
    const mails = await em.find(
      OutboxMessage,
      { $or: [{ status: MailStatus.Sent, sentAt: { $gte: since } }, { status: MailStatus.Failed, nextAttemptAt: { $gte: since } }] },
      { fields: ['status', 'createdAt', 'sentAt', 'nextAttemptAt'], disableIdentityMap: true },
    );
    return [
      ...jobs.map((j) => work(JOBS[j.kind as JobKind].queue, j.createdAt, j.finishedAt!, j.state === JobState.Failed)),
      ...mails.map((m) => (m.status === MailStatus.Sent ? work(QueueName.Mail, m.createdAt, m.sentAt!, false) : work(QueueName.Mail, m.createdAt, m.nextAttemptAt, true))),
    ];
  }
}

const work = (queue: QueueName, createdAt: Date, finishedAt: Date, failed: boolean): FinishedWork => ({
  queue,
  finishedAt: finishedAt.getTime(),
  failed,
  ms: finishedAt.getTime() - createdAt.getTime(),
});
