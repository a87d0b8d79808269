import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity';

/**
 * A one-time link to set a password. Only the SHA-256 of its token is stored; the token itself is
 * derived from the row's random id and the server's secret when the mail is composed (see
 * password-link-token.ts), so neither the database nor the queue ever holds it.
 */
@Entity({ tableName: 'password_links' })
export class PasswordLink {
  [OptionalProps]?: 'usedAt' | 'createdAt' | 'createdBy';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { index: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Property({ type: Date })
  expiresAt!: Date;

  /** Set when the link was spent, or voided by a newer link. */
  @Property({ type: Date, nullable: true })
  usedAt: Date | null = null;

  /** The admin who sent it (a plain column, like the audit trail's actor: no foreign key to keep in step). */
  @Property({ type: 'uuid', nullable: true })
  createdBy: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
