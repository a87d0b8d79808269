import { Collection, Entity, Index, ManyToMany, ManyToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { Priority, ProtocolStatus, SampleType, Sex, Species } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { Panel } from '../catalogue/panel.entity';
import { Clinic } from '../clinics/clinic.entity';
import { User } from '../users/user.entity';

@Entity({ tableName: 'protocols' })
@Index({ properties: ['clinic', 'createdAt'] })
@Index({ properties: ['status', 'createdAt'] })
// A decade of data: every sort walks an index (the id breaks ties), and a species filter keeps the default order.
@Index({ properties: ['species', 'createdAt'] })
@Index({ properties: ['species', 'id'] })
@Index({ properties: ['status', 'id'] })
@Index({ properties: ['animalName', 'id'] })
@Index({ properties: ['ownerName', 'id'] })
@Index({ properties: ['receivedAt', 'id'] })
export class Protocol {
  [OptionalProps]?: 'vet' | 'breed' | 'sex' | 'ageMonths' | 'ownerPhone' | 'ownerEmail' | 'samples' | 'notes' | 'priority' | 'status' | 'receivedBy' | 'receivedAt' | 'rejectionReason' | 'createdAt' | 'updatedAt' | 'version';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Human code, e.g. P-2026-000123. */
  @Property({ type: 'string', length: 20, unique: true })
  code!: string;

  @ManyToOne(() => Clinic)
  clinic!: Rel<Clinic>;

  /** Submitting vet; null when staff submitted on behalf of the clinic without naming one. */
  @ManyToOne(() => User, { nullable: true })
  vet: Rel<User> | null = null;

  @ManyToOne(() => User)
  createdBy!: Rel<User>;

  @Property({ type: 'string', length: 80 })
  animalName!: string;

  @Index()
  @Property({ type: 'string', length: 16 })
  species!: Species;

  @Property({ type: 'string', length: 80, nullable: true })
  breed: string | null = null;

  @Property({ type: 'string', length: 16 })
  sex: Sex = Sex.Unknown;

  @Property({ type: 'integer', nullable: true })
  ageMonths: number | null = null;

  @Property({ type: 'string', length: 120 })
  ownerName!: string;

  @Property({ type: 'string', length: 40, nullable: true })
  ownerPhone: string | null = null;

  @Property({ type: 'string', length: 254, nullable: true })
  ownerEmail: string | null = null;

  /** Lower-cased code, animal and owner: one column for the text search on both databases. */
  @Index()
  @Property({ type: 'string', length: 300 })
  searchText!: string;

  @Property({ type: 'json' })
  samples: { type: SampleType; count: number }[] = [];

  @ManyToMany(() => Panel, undefined, { pivotTable: 'protocol_panels', fixedOrder: true })
  panels = new Collection<Panel>(this);

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Property({ type: 'string', length: 16 })
  priority: Priority = Priority.Routine;

  @Index()
  @Property({ type: 'string', length: 16 })
  status: ProtocolStatus = ProtocolStatus.Submitted;

  @ManyToOne(() => User, { nullable: true })
  receivedBy: Rel<User> | null = null;

  @Property({ type: Date, nullable: true })
  receivedAt: Date | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  rejectionReason: string | null = null;

  /** Optimistic lock: every update bumps it; a stale write is refused with 409. */
  @Property({ type: 'integer', version: true })
  version!: number;

  @Index()
  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  static searchTextOf(p: { code: string; animalName: string; ownerName: string }): string {
    return `${p.code} ${p.animalName} ${p.ownerName}`.toLocaleLowerCase('es');
  }
}

/** Per-year counter behind protocol codes, advanced with one atomic UPDATE … RETURNING. */
@Entity({ tableName: 'protocol_counters' })
export class ProtocolCounter {
  [OptionalProps]?: 'value';

  @PrimaryKey({ type: 'integer', autoincrement: false })
  year!: number;

  @Property({ type: 'integer' })
  value = 0;
}
