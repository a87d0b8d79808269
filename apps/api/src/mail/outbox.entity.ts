import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { MailKind, MailStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/** The kinds are shared with the SPA (libs/shared); the name stays for the API's callers. */
export const OutboxKind = MailKind;
export type OutboxKind = MailKind;

/** The statuses are shared with the SPA (libs/shared); the name stays for the API's callers. */
export const OutboxStatus = MailStatus;
export type OutboxStatus = MailStatus;

/**
 * One e-mail to one recipient about one version of a subject. The unique key is what makes "never
 * mailed twice" hold even when the job that queues mails runs again: a second insert is ignored.
 */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['status', 'nextAttemptAt'] })
/** The mail log pages newest first. */
@Index({ properties: ['createdAt'] })
@Unique({ properties: ['kind', 'subjectId', 'version', 'recipient'] })
export class OutboxMessage {
  [OptionalProps]?: 'status' | 'attempts' | 'lastError' | 'sentAt' | 'createdAt' | 'nextAttemptAt' | 'leaseUntil' | 'resentAt' | 'serverResponse';

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

  @Property({ type: 'string', length: 16 })
  status: OutboxStatus = OutboxStatus.Pending;

  /** Incremented by each claim: the claim's token, so only its holder records the outcome. */
  @Property({ type: 'integer' })
  attempts = 0;

  /** When a pending row is due (again). */
  @Property({ type: Date })
  nextAttemptAt: Date = new Date();

  /** While `sending`: the claim holds until then; a sender that died past it is replaced. */
  @Property({ type: Date, nullable: true })
  leaseUntil: Date | null = null;

  /** The last time staff sent it again: the give-up window counts from it instead of createdAt. */
  @Property({ type: Date, nullable: true })
  resentAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: Date, nullable: true })
  sentAt: Date | null = null;

  /** What the server answered when it accepted the message ("250 2.0.0 Ok: queued as …"): proof it left. */
  @Property({ type: 'text', nullable: true })
  serverResponse: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
