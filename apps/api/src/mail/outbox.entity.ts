import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export const OutboxKind = { ReportVersion: 'report_version', BulkDigest: 'bulk_digest' } as const;
export type OutboxKind = (typeof OutboxKind)[keyof typeof OutboxKind];

export const OutboxStatus = { Pending: 'pending', Sent: 'sent', Failed: 'failed' } as const;
export type OutboxStatus = (typeof OutboxStatus)[keyof typeof OutboxStatus];

/**
 * One e-mail to one recipient about one version of a subject. The unique key is what makes "never
 * mailed twice" hold even when the job that queues mails runs again: a second insert is ignored.
 */
@Entity({ tableName: 'outbox' })
@Unique({ properties: ['kind', 'subjectId', 'version', 'recipient'] })
export class OutboxMessage {
  [OptionalProps]?: 'status' | 'attempts' | 'lastError' | 'sentAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  kind!: OutboxKind;

  @Property({ type: 'string', length: 16 })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'integer' })
  version!: number;

  /** Lower-cased address. */
  @Property({ type: 'string', length: 254 })
  recipient!: string;

  /** Deterministic, so a resend after a crash can be recognised as the same message. */
  @Property({ type: 'string', length: 200 })
  messageId!: string;

  @Index()
  @Property({ type: 'string', length: 16 })
  status: OutboxStatus = OutboxStatus.Pending;

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: Date, nullable: true })
  sentAt: Date | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
