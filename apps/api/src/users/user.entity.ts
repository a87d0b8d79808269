import { Entity, Index, ManyToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { Role } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { Clinic } from '../clinics/clinic.entity';

@Entity({ tableName: 'users' })
export class User {
  [OptionalProps]?: 'signer' | 'active' | 'clinic' | 'signaturePng' | 'signatureKey' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 254, unique: true })
  email!: string;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'string', length: 255, hidden: true, lazy: true })
  passwordHash!: string;

  @Index()
  @Property({ type: 'string', length: 16 })
  role!: Role;

  /** Staff allowed to validate and sign reports. */
  @Property({ type: 'boolean' })
  signer = false;

  @Property({ type: 'boolean' })
  active = true;

  /** Vets belong to exactly one clinic; staff and admins to none. */
  @ManyToOne(() => Clinic, { nullable: true, index: true })
  clinic: Rel<Clinic> | null = null;

  /**
   * PNG (RGB) of the signer's signature as databases before issue 18 kept it: read only for a
   * signer (or a version) without a `signatureKey`; uploads go to the file storage.
   */
  @Property({ type: 'blob', nullable: true, lazy: true, hidden: true })
  signaturePng: Buffer | null = null;

  /** The stored signature image (`signatures/<id>/<sha256 prefix>.png`), printed on the reports they finalize. */
  @Property({ type: 'string', length: 200, nullable: true })
  signatureKey: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
