import { Entity, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { BulkItemStatus } from '@vetlab/shared';

/**
 * The ledger: one row per protocol of a run, keyed by the run and the item's place in the request
 * (the request refuses a repeated id). An item leaves `pending` in the same transaction that
 * changes its protocol and writes its audit entry, which is what makes a run resumable without
 * doing anything twice. The primary key is the only index: 10,000 rows go in within the 202.
 */
@Entity({ tableName: 'bulk_items' })
export class BulkItem {
  [PrimaryKeyProp]?: ['runId', 'position'];
  [OptionalProps]?: 'status' | 'reason' | 'attempts' | 'processedAt';

  /** The run (a plain column: no foreign-key check per inserted row, no extra index). */
  @PrimaryKey({ type: 'uuid' })
  runId!: string;

  /** Order of the request (from 0): processing and paging follow it. */
  @PrimaryKey({ type: 'integer', autoincrement: false })
  position!: number;

  /** A plain column: an id that names no protocol is recorded as failed, not refused. */
  @Property({ type: 'uuid' })
  protocolId!: string;

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
