import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Rel, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { WorkOrder } from '../work-order.entity';

/**
 * The PDF of one content version of a work order: the cache entry (file key, SHA-256 = ETag, size,
 * render time) and the render job that fills it. The unique key is what makes twenty concurrent
 * cold opens create one job: only one insert of (work order, version) can win.
 */
@Entity({ tableName: 'work_order_pdfs' })
@Unique({ properties: ['workOrder', 'contentVersion'] })
export class WorkOrderPdf {
  [OptionalProps]?: 'jobId' | 'runToken' | 'storageKey' | 'sha256' | 'size' | 'pages' | 'renderedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => WorkOrder, { deleteRule: 'cascade' })
  workOrder!: Rel<WorkOrder>;

  @Property({ type: 'integer' })
  contentVersion!: number;

  /** The job that renders (or last rendered) this version. */
  @Property({ type: 'uuid', nullable: true })
  jobId: string | null = null;

  /** The run of that job that may store the file now; a run that finds another one stops without writing. */
  @Property({ type: 'uuid', nullable: true })
  runToken: string | null = null;

  /** Set once the file is stored; built from ids only. */
  @Property({ type: 'string', length: 200, nullable: true })
  storageKey: string | null = null;

  @Property({ type: 'string', length: 64, nullable: true })
  sha256: string | null = null;

  @Property({ type: 'integer', nullable: true })
  size: number | null = null;

  @Property({ type: 'integer', nullable: true })
  pages: number | null = null;

  @Property({ type: Date, nullable: true })
  renderedAt: Date | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
