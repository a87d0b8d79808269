import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ErrorCode } from '@vetlab/shared';
import { DomainError } from '../common/domain-error';
import { writeTransaction } from '../database/database';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';

export const sha256 = (raw: string) => createHash('sha256').update(raw).digest('hex');

/** One message for every refused refresh: the client's answer is the same (sign in again). */
export const sessionEnded = () => new DomainError('unauthorized', 'session expired or ended; please sign in again', undefined, ErrorCode.SessionEnded);

/**
 * Opaque refresh tokens: 256 random bits to the browser, only their SHA-256 in the database.
 * Each use rotates the token; a token presented twice means someone else holds a copy, so the
 * whole family (every token descended from that login) is revoked.
 */
@Injectable()
export class RefreshTokenService {
  private readonly log = new Logger(RefreshTokenService.name);

  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Persists a new token of the family (a new family for a fresh login); returns the raw token. */
  async issue(user: User, familyId: string = randomUUID(), em: EntityManager = this.em): Promise<string> {
    const raw = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
    em.create(RefreshToken, { user: em.getReference(User, user.id), tokenHash: sha256(raw), familyId, expiresAt });
    await em.flush();
    return raw;
  }

  /** Exchanges a valid token for a new one of the same family; returns its user (clinic loaded). */
  async rotate(raw: string | null): Promise<{ user: User; token: string }> {
    const row = raw ? await this.em.findOne(RefreshToken, { tokenHash: sha256(raw) }, { populate: ['user', 'user.clinic'] }) : null;
    if (!row) throw sessionEnded();
    if (row.rotatedAt || row.revokedAt) {
      await this.revokeFamily(row.familyId);
      this.log.warn(`reused refresh token of user ${row.user.id}; family ${row.familyId} revoked`);
      throw sessionEnded();
    }
    if (row.expiresAt.getTime() <= Date.now()) throw sessionEnded();
    if (!row.user.active) {
      await this.revokeFamily(row.familyId);
      throw sessionEnded();
    }
    // Claim the token with a conditional update: of two concurrent uses exactly one wins, and the
    // loser is treated as reuse. The claim and its successor commit together: a write that fails in
    // between (the database away, the disk full) leaves the token as it was, to be used again once
    // the service is back, instead of claimed with no successor (a session lost for good).
    const token = await writeTransaction(this.em, async (tx) => {
      const claimed = await tx.nativeUpdate(RefreshToken, { id: row.id, rotatedAt: null, revokedAt: null }, { rotatedAt: new Date() });
      return claimed === 1 ? this.issue(row.user, row.familyId, tx) : null;
    });
    if (token === null) {
      await this.revokeFamily(row.familyId);
      throw sessionEnded();
    }
    return { user: row.user, token };
  }

  /** Logout: ends the family the token belongs to, whatever state the token is in. */
  async revokeFamilyOf(raw: string | null): Promise<void> {
    if (!raw) return;
    const row = await this.em.findOne(RefreshToken, { tokenHash: sha256(raw) }, { fields: ['familyId'] });
    if (row) await this.revokeFamily(row.familyId);
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.em.nativeUpdate(RefreshToken, { familyId, revokedAt: null }, { revokedAt: new Date() });
  }

  /**
   * Every session of the user but the one `keepRaw` belongs to (a password change ends the others);
   * without a token to keep, every session. `em` lets a caller include it in its transaction.
   */
  async revokeOthersOfUser(userId: string, keepRaw: string | null, em: EntityManager = this.em): Promise<number> {
    const keep = keepRaw ? await em.findOne(RefreshToken, { tokenHash: sha256(keepRaw), user: userId }, { fields: ['familyId'] }) : null;
    if (!keep) return this.revokeAllForUser(userId, em);
    return em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null, familyId: { $ne: keep.familyId } }, { revokedAt: new Date() });
  }

  /** Every session of the user (deactivation); `em` lets a caller include it in its transaction. */
  async revokeAllForUser(userId: string, em: EntityManager = this.em): Promise<number> {
    return em.nativeUpdate(RefreshToken, { user: userId, revokedAt: null }, { revokedAt: new Date() });
  }
}
