import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, Rel } from '@mikro-orm/core';
import { BulkItemStatus } from '@vetlab/shared';
import { BulkRun } from './bulk-run.entity';

/**
 * The ledger: one row per protocol of a run, keyed by both. An item leaves `pending` in the same
 * transaction that changes its protocol and writes its audit entry, which is what makes a run
 * resumable without doing anything twice.
 */
@Entity({ tableName: 'bulk_items' })
@Index({ properties: ['run', 'status', 'position'] })
export class BulkItem {
  [PrimaryKeyProp]?: ['run', 'protocolId'];
  [OptionalProps]?: 'status' | 'reason' | 'attempts' | 'processedAt';

  @ManyToOne(() => BulkRun, { primary: true, deleteRule: 'cascade' })
  run!: Rel<BulkRun>;

  /** A plain column: an id that names no protocol is recorded as failed, not refused. */
  @PrimaryKey({ type: 'uuid' })
  protocolId!: string;

  /** Order of the request, kept for paging and for processing in that order. */
  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'string', length: 16 })
  status: BulkItemStatus = 'pending';

  @Property({ type: 'string', length: 300, nullable: true })
  reason: string | null = null;

  /** Times a chunk holding this item was committed (1 once it has an outcome). */
  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: Date, nullable: true })
  processedAt: Date | null = null;
}
