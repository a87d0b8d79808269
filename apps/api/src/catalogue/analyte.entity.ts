import { Entity, Index, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { AnalyteKind, RangeView, Section } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'analytes' })
export class Analyte {
  [OptionalProps]?: 'unit' | 'decimals' | 'ranges' | 'position';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Index()
  @Property({ type: 'string', length: 32 })
  section!: Section;

  @Property({ type: 'string', length: 32, nullable: true })
  unit: string | null = null;

  @Property({ type: 'string', length: 16 })
  kind!: AnalyteKind;

  /** Decimals shown for numeric values. */
  @Property({ type: 'integer' })
  decimals = 1;

  /** Reference range per species (numeric low/high or the expected qualitative value). */
  @Property({ type: 'json' })
  ranges: RangeView[] = [];

  /** Print order inside its section. */
  @Property({ type: 'integer' })
  position = 0;
}
