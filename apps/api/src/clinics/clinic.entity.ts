import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { ReportLanguage } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'clinics' })
export class Clinic {
  [OptionalProps]?: 'resultEmails' | 'reportLanguage' | 'address' | 'phone' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 160, unique: true })
  name!: string;

  /** Addresses that receive finalized results. */
  @Property({ type: 'json' })
  resultEmails: string[] = [];

  /** The language of its report and work-order PDFs and of the mails it gets. */
  @Property({ type: 'string', length: 2, default: ReportLanguage.Es })
  reportLanguage: ReportLanguage = ReportLanguage.Es;

  /** Postal address, printed on nothing yet: the lab's contact data. */
  @Property({ type: 'string', length: 300, nullable: true })
  address: string | null = null;

  @Property({ type: 'string', length: 40, nullable: true })
  phone: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
