import { Collection, Entity, ManyToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Analyte } from './analyte.entity';

/** A group of analytes requested together (e.g. "Hemograma completo"). */
@Entity({ tableName: 'panels' })
export class Panel {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @ManyToMany(() => Analyte, undefined, { pivotTable: 'panel_analytes', fixedOrder: true })
  analytes = new Collection<Analyte>(this);
}
