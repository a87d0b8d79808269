import { EntityManager } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/knex';
import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { JobKind } from '@vetlab/shared';
import { JobQueues } from '../jobs/job-queues.service';
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

/** Digest ids name the clinic and the run, so a digest is recognised as the same message. */
export function bulkDigestMessageId(clinicId: string, runNumber: number, recipient: string): string {
  const who = createHash('sha256').update(recipient).digest('hex').slice(0, 16);
  return `<bulk-${runNumber}-${clinicId}-${who}@vetlab.local>`;
}

export interface BulkDigestMail {
  clinicId: string;
  runNumber: number;
  recipients: string[];
}

/** Writes outbox rows and hands them to the `mail` queue. */
@Injectable()
export class OutboxService {
  constructor(private readonly queues: JobQueues) {}

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
    await this.send(rows.filter((r) => r.status === OutboxStatus.Pending).map((r) => r.id));
    return rows.length;
  }

  /**
   * One digest per clinic (and address) of a bulk run, keyed by clinic and run number: inserted or
   * ignored inside the caller's transaction. Returns the ids to hand to `send` after the commit.
   */
  async insertBulkDigests(em: EntityManager, digests: BulkDigestMail[]): Promise<string[]> {
    const now = new Date();
    const rows = digests.flatMap((d) =>
      [...new Set(d.recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))].map((recipient) => ({
        id: randomUUID(),
        kind: OutboxKind.BulkDigest,
        subjectType: 'clinic',
        subjectId: d.clinicId,
        version: d.runNumber,
        recipient,
        messageId: bulkDigestMessageId(d.clinicId, d.runNumber, recipient),
        status: OutboxStatus.Pending,
        attempts: 0,
        createdAt: now,
      })),
    );
    if (!rows.length) return [];
    await (em as SqlEntityManager).createQueryBuilder(OutboxMessage).insert(rows).onConflict(['kind', 'subjectId', 'version', 'recipient']).ignore().execute();
    const numbers = [...new Set(digests.map((d) => d.runNumber))];
    const stored = await em.find(
      OutboxMessage,
      { kind: OutboxKind.BulkDigest, subjectId: { $in: digests.map((d) => d.clinicId) }, version: { $in: numbers }, status: OutboxStatus.Pending },
      { fields: ['id'] },
    );
    return stored.map((r) => r.id);
  }

  /**
   * Hands outbox rows to the `mail` queue (after the commit that wrote them), in one round trip.
   * One job per row, id = outbox id: a row that is already queued is not queued again.
   */
  async send(ids: string[]): Promise<void> {
    await Promise.all(ids.map((outboxId) => this.queues.add(JobKind.SendEmail, outboxId, { outboxId })));
  }
}
