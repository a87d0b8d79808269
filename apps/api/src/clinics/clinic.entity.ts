import { Entity, PrimaryKey, Property, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'clinics' })
export class Clinic {
  [OptionalProps]?: 'resultEmails' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 160, unique: true })
  name!: string;

  /** Addresses that receive finalized results. */
  @Property({ type: 'json' })
  resultEmails: string[] = [];

  @Property({ type: Date })
  createdAt: Date = new Date();
}
