import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { BulkRunState, ProtocolAction, ProtocolStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/**
 * One bulk action over many protocols. The counters are kept in step with the ledger inside each
 * chunk's transaction, so a read at any time (GET /api/bulk/:id) agrees with the items.
 */
@Entity({ tableName: 'bulk_runs' })
@Index({ properties: ['state', 'createdAt'] })
export class BulkRun {
  [OptionalProps]?: 'pendingIds' | 'reason' | 'state' | 'succeeded' | 'skipped' | 'failed' | 'cancelled' | 'cancelRequested' | 'retryOf' | 'createdById' | 'createdAt' | 'startedAt' | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** 1, 2, 3…: names the run in the outbox key of its digests (one per clinic and run). */
  @Property({ type: 'integer', unique: true })
  number!: number;

  @Property({ type: 'string', length: 32 })
  action!: ProtocolAction;

  @Property({ type: 'string', length: 16 })
  target!: ProtocolStatus;

  /** The rejection reason (reject only). */
  @Property({ type: 'string', length: 500, nullable: true })
  reason: string | null = null;

  @Property({ type: 'string', length: 16 })
  state: BulkRunState = 'queued';

  @Property({ type: 'integer' })
  total!: number;

  @Property({ type: 'integer' })
  succeeded = 0;

  @Property({ type: 'integer' })
  skipped = 0;

  @Property({ type: 'integer' })
  failed = 0;

  @Property({ type: 'integer' })
  cancelled = 0;

  /** Set by POST /api/bulk/:id/cancel; the processor stops after the chunk it is on. */
  @Property({ type: 'boolean' })
  cancelRequested = false;

  /**
   * The requested ids (a JSON array) until the worker has written them into the ledger: the 202
   * stores one row, the worker expands it in one statement in its first transaction. Lazy: never
   * loaded with the run.
   */
  @Property({ type: 'text', nullable: true, lazy: true })
  pendingIds: string | null = null;

  /** The run whose failed items this one retries. */
  @Property({ type: 'uuid', nullable: true })
  retryOf: string | null = null;

  /** The JobRecord (and Bull job) that processes it. */
  @Property({ type: 'uuid' })
  jobId!: string;

  /** A plain column, like the audit log's actor: runs outlive users. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, nullable: true })
  startedAt: Date | null = null;

  @Property({ type: Date, nullable: true })
  finishedAt: Date | null = null;
}
