import { Entity, Index, ManyToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { ReferenceRange, ResultFlag } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { Analyte } from '../catalogue/analyte.entity';
import { ReportVersion } from './report-version.entity';

/**
 * The rows still without a value, by version: "is this draft complete?" is asked by every finalize
 * (the read and the claim's condition) and answered from this index alone, whatever the report's
 * length, instead of by reading every row of the version.
 */
@Entity({ tableName: 'result_rows' })
@Index({
  name: 'result_rows_missing_index',
  expression: `create index "result_rows_missing_index" on "result_rows" ("version_id") where "value" is null or "value" = ''`,
})
export class ResultRow {
  [OptionalProps]?: 'value' | 'numericValue' | 'flag' | 'range';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ReportVersion, { index: true, deleteRule: 'cascade' })
  version!: Rel<ReportVersion>;

  @ManyToOne(() => Analyte)
  analyte!: Rel<Analyte>;

  @Property({ type: 'integer' })
  position!: number;

  /** The value as typed (text), and its number when the analyte is numeric. */
  @Property({ type: 'string', length: 200, nullable: true })
  value: string | null = null;

  @Property({ type: 'double', nullable: true })
  numericValue: number | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  flag: ResultFlag | null = null;

  /** The species' reference range at the time of entry, so a report prints what it was judged by. */
  @Property({ type: 'json', nullable: true })
  range: ReferenceRange | null = null;
}
