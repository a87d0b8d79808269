import { Collection, Entity, OneToMany, OneToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Protocol } from '../protocols/protocol.entity';
import { ReportVersion } from './report-version.entity';

@Entity({ tableName: 'reports' })
export class Report {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Protocol, { owner: true, unique: true, deleteRule: 'cascade' })
  protocol!: Rel<Protocol>;

  @OneToMany(() => ReportVersion, (v) => v.report, { orderBy: { number: 'desc' } })
  versions = new Collection<ReportVersion>(this);

  @Property({ type: Date })
  createdAt: Date = new Date();
}
