import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditAction, AuditEntity, ChangePasswordRequest, ErrorCode, FieldErrorCode, PasswordLinkInfo, PasswordLinkView, SetPasswordRequest } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { hashPassword, verifyPassword } from '../auth/password';
import { RefreshTokenService } from '../auth/refresh-token.service';
import { DomainError, invalid, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { writeTransaction } from '../database/database';
import { OutboxService } from '../mail/outbox.service';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { PasswordLink } from './password-link.entity';
import { PasswordLinkRateLimiter } from './password-link-rate-limiter';
import { passwordLinkToken, passwordLinkTokenHash } from './password-link-token';
import { PasswordLinksRepository } from './password-links.repository';

/** One answer for a link that is unknown, used, replaced, expired or whose person is inactive: nothing leaks. */
export const linkInvalid = () =>
  new DomainError('gone', 'this password link is unknown, used already or expired; ask the lab for a new one', undefined, ErrorCode.PasswordLinkInvalid);

/** A link issued in a transaction: its mail is handed to the queue (`send`) after the commit. */
export interface IssuedLink {
  view: PasswordLinkView;
  mailIds: string[];
  /** The link's id: its token follows from it and the secret (passwordLinkToken). */
  linkId: string;
}

/**
 * Passwords: one-time links to set one (mailed through the outbox), setting one through a link,
 * and changing one's own. Hashing (argon2) runs before a transaction opens, never inside it.
 */
@Injectable()
export class PasswordsService {
  private readonly log = new Logger(PasswordsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly links: PasswordLinksRepository,
    private readonly users: UsersRepository,
    private readonly outbox: OutboxService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly audit: AuditService,
    private readonly limiter: PasswordLinkRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Inside the caller's transaction: voids the person's unused links, adds a new one and its mail.
   * The token is only ever derived (mail composer); here its hash is what is stored.
   */
  async issue(em: EntityManager, user: User, actorId: string | null): Promise<IssuedLink> {
    const now = new Date();
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + this.config.auth.passwordLinkTtlMinutes * 60_000);
    await this.links.voidUnused(em, user.id, now);
    this.links.insert(em, { id, userId: user.id, tokenHash: passwordLinkTokenHash(passwordLinkToken(this.config.auth.jwtSecret, id)), expiresAt, createdBy: actorId, createdAt: now });
    await em.flush();
    const mailIds = await this.outbox.insertPasswordLink(em, id, user.email);
    return { view: { expiresAt: expiresAt.toISOString() }, mailIds, linkId: id };
  }

  /** POST /users/:id/password-link: a new link for the person (earlier unused ones void), audited. */
  async sendLink(actor: AuthUser, userId: string): Promise<PasswordLinkView> {
    const issued = await writeTransaction(this.em, async (em) => {
      const user = await this.users.findById(em, userId);
      if (!user) throw notFound('user');
      const issued = await this.issue(em, user, actor.id);
      this.audit.record(em, { actorId: actor.id, entity: AuditEntity.User, entityId: user.id, action: AuditAction.PasswordLinkSent, after: { expiresAt: issued.view.expiresAt } });
      return issued;
    });
    await this.handOver(issued.mailIds);
    return issued.view;
  }

  /**
   * Hands committed link mails to the queue. Redis away does not undo (or fail) what was committed:
   * the rows stay pending, and the stranded-job sweep hands them to a sender once it is back.
   */
  async handOver(mailIds: string[]): Promise<void> {
    await this.outbox.send(mailIds).catch((e) => this.log.warn(`password-link mails ${mailIds.join(', ')} wait for the sweep: ${(e as Error)?.message ?? e}`));
  }

  /** What the set-password page shows; 410 for a link that cannot be used. */
  async info(token: string, ip: string): Promise<PasswordLinkInfo> {
    await this.limiter.admit(ip);
    const link = await this.usable(this.em.fork(), token, new Date());
    return { email: link.user.email, name: link.user.name, expiresAt: link.expiresAt.toISOString() };
  }

  /**
   * Sets the password and spends the link in one transaction; the spend is a conditional update, so
   * a link used twice (even by two racing requests) answers 410 the second time. Ends every session.
   */
  async setPassword(dto: SetPasswordRequest, ip: string): Promise<void> {
    await this.limiter.admit(ip);
    // The link is checked before hashing (an argon2 hash is not spent on a dead link) and again, for real, by the spend.
    await this.usable(this.em.fork(), dto.token, new Date());
    const hash = await hashPassword(dto.password, this.config.auth.passwordHashCost);
    await writeTransaction(this.em, async (em) => {
      const now = new Date();
      const link = await this.usable(em, dto.token, now);
      if (!(await this.links.spend(em, link.id, now))) throw linkInvalid();
      await this.users.setPasswordHash(em, link.user.id, hash);
      await this.refreshTokens.revokeAllForUser(link.user.id, em);
      this.audit.record(em, { actorId: link.user.id, entity: AuditEntity.User, entityId: link.user.id, action: AuditAction.PasswordSet, after: { linkId: link.id } });
      await em.flush();
    });
  }

  /** A signed-in person's own password; the current one must match. Ends their other sessions, not this one. */
  async changePassword(actor: AuthUser, dto: ChangePasswordRequest, currentSession: string | null): Promise<void> {
    const user = await this.users.findWithPasswordHash(this.em.fork(), actor.id);
    if (!user) throw notFound('user');
    if (!(await verifyPassword(user.passwordHash, dto.currentPassword))) {
      throw invalid('body.currentPassword', 'does not match your current password', FieldErrorCode.Incorrect);
    }
    const hash = await hashPassword(dto.newPassword, this.config.auth.passwordHashCost);
    await writeTransaction(this.em, async (em) => {
      await this.users.setPasswordHash(em, user.id, hash);
      const ended = await this.refreshTokens.revokeOthersOfUser(user.id, currentSession, em);
      this.audit.record(em, { actorId: user.id, entity: AuditEntity.User, entityId: user.id, action: AuditAction.PasswordChange, after: { sessionsEnded: ended } });
      await em.flush();
    });
  }

  /** The link behind a token, if it can be used now by an active person; else 410. */
  private async usable(em: EntityManager, token: string, now: Date): Promise<PasswordLink> {
    const link = await this.links.findByTokenHash(em, passwordLinkTokenHash(token));
    if (!link || link.usedAt || link.expiresAt.getTime() <= now.getTime() || !link.user.active) throw linkInvalid();
    return link;
  }
}
