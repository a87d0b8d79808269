import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { MailQueueService } from './mail-queue.service';
import { OutboxKind, OutboxMessage, OutboxStatus } from './outbox.entity';

export interface ReportVersionMail {
  reportId: string;
  version: number;
  recipients: (string | null | undefined)[];
}

/** Message-IDs name the version and recipient, so the same mail always carries the same id. */
export function reportMessageId(reportId: string, version: number, recipient: string): string {
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<report-${reportId}-v${version}-${who}@vetlab.local>`;
}

/** Writes outbox rows and hands them to the `mail` queue. */
@Injectable()
export class OutboxService {
  constructor(private readonly mailQueue: MailQueueService) {}

  /**
   * One row per recipient of a report version, inserted or ignored on the unique key, then every
   * row not sent yet is queued. Running it again (a retried job) adds and sends nothing new.
   * Returns how many rows the version has.
   */
  async queueReportVersion(em: EntityManager, mail: ReportVersionMail): Promise<number> {
    const recipients = [...new Set(mail.recipients.map((r) => r?.trim().toLowerCase()).filter((r): r is string => !!r))];
    const key = { kind: OutboxKind.ReportVersion, subjectId: mail.reportId, version: mail.version };
    if (recipients.length) {
      const now = new Date();
      await (em as SqlEntityManager)
        .createQueryBuilder(OutboxMessage)
        .insert(
          recipients.map((recipient) => ({
            id: randomUUID(),
            ...key,
            subjectType: 'report',
            recipient,
            messageId: reportMessageId(mail.reportId, mail.version, recipient),
            status: OutboxStatus.Pending,
            attempts: 0,
            createdAt: now,
          })),
        )
        .onConflict(['kind', 'subjectId', 'version', 'recipient'])
        .ignore()
        .execute();
    }
    const rows = await em.find(OutboxMessage, key, { fields: ['id', 'status'] });
    await this.mailQueue.sendAll(rows.filter((r) => r.status === OutboxStatus.Pending).map((r) => r.id));
    return rows.length;
  }
}
