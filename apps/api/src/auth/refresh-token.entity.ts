import { Entity, Index, ManyToOne, PrimaryKey, Property, Rel, OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { User } from '../users/user.entity';

/**
 * One row per issued refresh token; only its SHA-256 is stored. Tokens of one login form a family:
 * presenting a token that was already rotated revokes the whole family (theft detection).
 */
@Entity({ tableName: 'refresh_tokens' })
export class RefreshToken {
  [OptionalProps]?: 'rotatedAt' | 'revokedAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { index: true, deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ type: 'string', length: 64, unique: true })
  tokenHash!: string;

  @Index()
  @Property({ type: 'uuid' })
  familyId!: string;

  @Property({ type: Date })
  expiresAt!: Date;

  @Property({ type: Date, nullable: true })
  rotatedAt: Date | null = null;

  @Property({ type: Date, nullable: true })
  revokedAt: Date | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();
}
