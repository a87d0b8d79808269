import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { User } from '../users/user.entity';
import { PasswordLink } from './password-link.entity';

/** The one writer of the `password_links` table. */
@Injectable()
export class PasswordLinksRepository {
  /** Voids the person's links that are still unused (a newer link replaces them). */
  voidUnused(em: EntityManager, userId: string, now: Date): Promise<number> {
    return em.nativeUpdate(PasswordLink, { user: userId, usedAt: null }, { usedAt: now });
  }

  /** Adds a link to the caller's unit of work (flushed with it). */
  insert(em: EntityManager, row: { id: string; userId: string; tokenHash: string; expiresAt: Date; createdBy: string | null; createdAt: Date }): PasswordLink {
    return em.create(PasswordLink, { id: row.id, user: em.getReference(User, row.userId), tokenHash: row.tokenHash, expiresAt: row.expiresAt, createdBy: row.createdBy, createdAt: row.createdAt });
  }

  /** The link with its person (and a vet's clinic). */
  findByTokenHash(em: EntityManager, tokenHash: string): Promise<PasswordLink | null> {
    return em.findOne(PasswordLink, { tokenHash }, { populate: ['user', 'user.clinic'] });
  }

  findById(em: EntityManager, id: string): Promise<PasswordLink | null> {
    return em.findOne(PasswordLink, { id }, { populate: ['user', 'user.clinic'] });
  }

  /**
   * Spends the link: one conditional UPDATE (unused and unexpired at `now`), so of two requests
   * racing with the same link exactly one gets true.
   */
  async spend(em: EntityManager, id: string, now: Date): Promise<boolean> {
    return (await em.nativeUpdate(PasswordLink, { id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now })) === 1;
  }

  /** Moves a link's expiry (operations, and tests that need a link to expire for real). */
  async setExpiresAt(em: EntityManager, id: string, expiresAt: Date): Promise<void> {
    await em.nativeUpdate(PasswordLink, { id }, { expiresAt });
  }

  /** The person's links, newest first. */
  ofUser(em: EntityManager, userId: string): Promise<PasswordLink[]> {
    return em.find(PasswordLink, { user: userId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  }
}
