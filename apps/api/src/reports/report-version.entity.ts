import { Collection, Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property, Unique, Rel, OptionalProps } from '@mikro-orm/core';
import { ReportVersionStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity';
import { Report } from './report.entity';
import { ResultRow } from './result-row.entity';

@Entity({ tableName: 'report_versions' })
@Unique({ properties: ['report', 'number'] })
export class ReportVersion {
  [OptionalProps]?: 'status' | 'observations' | 'signer' | 'finalizedAt' | 'failureReason' | 'supersedesNumber' | 'createdAt' | 'updatedAt' | 'lockVersion';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Report, { deleteRule: 'cascade' })
  report!: Rel<Report>;

  /** 1, 2, … ; an amendment opens number n+1. */
  @Property({ type: 'integer' })
  number!: number;

  @Index()
  @Property({ type: 'string', length: 20 })
  status: ReportVersionStatus = ReportVersionStatus.Draft;

  @Property({ type: 'text', nullable: true })
  observations: string | null = null;

  @ManyToOne(() => User, { nullable: true })
  signer: Rel<User> | null = null;

  @Property({ type: 'datetime', nullable: true })
  finalizedAt: Date | null = null;

  @Property({ type: 'text', nullable: true })
  failureReason: string | null = null;

  /** Number of the version this one replaces (amendments). */
  @Property({ type: 'integer', nullable: true })
  supersedesNumber: number | null = null;

  @OneToMany(() => ResultRow, (r) => r.version, { orderBy: { position: 'asc' } })
  rows = new Collection<ResultRow>(this);

  /** Optimistic lock for editing the draft's rows; bumped on every edit. */
  @Property({ type: 'integer', version: true })
  lockVersion!: number;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
