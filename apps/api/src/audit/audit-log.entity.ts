import { Entity, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { AuditAction } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/**
 * The trail's filters each walk one index newest first (see AuditRepository): a record's history,
 * a kind of record's, a person's actions, an action's entries, and everything by time.
 */
@Entity({ tableName: 'audit_log' })
@Index({ properties: ['entity', 'entityId', 'at'] })
@Index({ properties: ['entity', 'at'] })
@Index({ properties: ['actorId', 'at'] })
@Index({ properties: ['action', 'at'] })
@Index({ properties: ['at'] })
export class AuditLog {
  [OptionalProps]?: 'actorId' | 'at' | 'before' | 'after' | 'jobId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** User id of whoever did it (the admin behind a bulk job, too); null for the system. */
  @Property({ type: 'uuid', nullable: true })
  actorId: string | null = null;

  @Property({ type: Date })
  at: Date = new Date();

  @Property({ type: 'string', length: 40 })
  entity!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  @Property({ type: 'string', length: 32 })
  action!: AuditAction;

  @Property({ type: 'json', nullable: true })
  before: Record<string, unknown> | null = null;

  @Property({ type: 'json', nullable: true })
  after: Record<string, unknown> | null = null;

  /** Set when a job did it. */
  @Index()
  @Property({ type: 'string', length: 64, nullable: true })
  jobId: string | null = null;
}
