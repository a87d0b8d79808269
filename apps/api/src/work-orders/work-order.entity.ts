import { Entity, OneToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { Priority, WorkOrderSectionView } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { Protocol } from '../protocols/protocol.entity';

@Entity({ tableName: 'work_orders' })
export class WorkOrder {
  [OptionalProps]?: 'priority' | 'instructions' | 'sections' | 'createdAt' | 'updatedAt' | 'contentVersion';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Protocol, { owner: true, unique: true, deleteRule: 'cascade' })
  protocol!: Rel<Protocol>;

  @Property({ type: 'string', length: 16 })
  priority: Priority = Priority.Routine;

  @Property({ type: 'text', nullable: true })
  instructions: string | null = null;

  /** Analyses by section with their sample requirement (a snapshot taken at intake, then edited). */
  @Property({ type: 'json' })
  sections: WorkOrderSectionView[] = [];

  /** Content version: bumped by every edit; the PDF cache key and the optimistic lock. */
  @Property({ type: 'integer', version: true })
  contentVersion!: number;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
