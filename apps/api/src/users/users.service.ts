import { EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { AuditAction, AuditEntity, CreateUserRequest, FieldErrorCode, Page, PageQuery, Role, rooms, UpdateUserRequest, UserListQuery, UserView } from '@vetlab/shared';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { hashPassword } from '../auth/password';
import { RefreshTokenService } from '../auth/refresh-token.service';
import { invalid, notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig, ConfigError } from '../config/app-config';
import { writeTransaction } from '../database/database';
import { IssuedLink, PasswordsService } from '../passwords/passwords.service';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { User } from './user.entity';
import { toUserView } from './user-views';
import { UsersRepository } from './users.repository';

export const UsersQuery = UserListQuery.extend(PageQuery.shape);
export type UsersQuery = z.output<typeof UsersQuery>;
export type CreateUser = z.output<typeof CreateUserRequest>;

/** What an update may change, as audited (`clinicId`: the clinic's id). */
interface Snapshot {
  name: string;
  active: boolean;
  signer: boolean;
  clinicId: string | null;
}
const snapshot = (u: User): Snapshot => ({ name: u.name, active: u.active, signer: u.signer, clinicId: u.clinic?.id ?? null });

const emailTaken = () => invalid('body.email', 'another person already has this e-mail', FieldErrorCode.Taken);

/** Admin management of people: create (a set-password link is mailed), list, read, edit, (de)activate. */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersRepository,
    private readonly passwords: PasswordsService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly realtime: RealtimeService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: UsersQuery): Promise<Page<UserView>> {
    const { users, total } = await this.users.page(this.em.fork(), query, query.pageSize, (query.page - 1) * query.pageSize);
    return { items: users.map(toUserView), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string): Promise<UserView> {
    const user = await this.users.findById(this.em.fork(), id);
    if (!user) throw notFound('user');
    return toUserView(user);
  }

  /**
   * A new person, without a usable password (a random one nobody knows): the one-time link mailed
   * to them sets it. One audit entry, with the link's expiry (never its token).
   */
  async create(actor: AuthUser, dto: CreateUser): Promise<UserView> {
    // Nobody signs in with this: it only fills the column until the person sets theirs.
    const placeholder = await hashPassword(randomBytes(32).toString('base64url'), this.config.auth.passwordHashCost);
    try {
      const { user, mailIds } = await writeTransaction(this.em, async (em) => {
        if (await this.users.emailTaken(em, dto.email)) throw emailTaken();
        if (dto.clinicId && !(await this.users.clinicExists(em, dto.clinicId))) throw invalid('body.clinicId', 'no such clinic', FieldErrorCode.UnknownReference);
        const user = this.users.insert(em, { email: dto.email, name: dto.name, role: dto.role, signer: dto.role === Role.Staff && dto.signer, clinicId: dto.clinicId ?? null, passwordHash: placeholder });
        await em.flush();
        const link = await this.passwords.issue(em, user, actor.id);
        this.audit.record(em, {
          actorId: actor.id,
          entity: AuditEntity.User,
          entityId: user.id,
          action: AuditAction.UserCreate,
          after: { email: user.email, role: user.role, ...snapshot(user), passwordLinkExpiresAt: link.view.expiresAt },
        });
        await em.flush();
        return { user, mailIds: link.mailIds };
      });
      await this.passwords.handOver(mailIds);
      return this.get(user.id);
    } catch (e) {
      // Two admins creating the same person at once: the loser hears what the check would have said.
      if (e instanceof UniqueConstraintViolationException) throw emailTaken();
      throw e;
    }
  }

  /**
   * `main create-admin`: an admin created from the command line (no actor; audited with `via`), with a
   * one-time link to set the password, mailed like any new person's. Refused while an active admin
   * exists unless `force`: the command is for a lab's first admin, or one locked out of every account.
   */
  async createAdmin(dto: { email: string; name: string }, force: boolean): Promise<{ user: UserView; link: IssuedLink }> {
    const placeholder = await hashPassword(randomBytes(32).toString('base64url'), this.config.auth.passwordHashCost);
    const { user, link } = await writeTransaction(this.em, async (em) => {
      const admins = await this.users.otherActiveAdmins(em, null);
      if (admins > 0 && !force) {
        throw new ConfigError(`create-admin: the lab already has ${admins} active admin(s); they create people from the browser. Add --force to create another admin anyway.`);
      }
      if (await this.users.emailTaken(em, dto.email)) throw new ConfigError(`create-admin: another person already has the e-mail ${dto.email}`);
      const user = this.users.insert(em, { email: dto.email, name: dto.name, role: Role.Admin, signer: false, clinicId: null, passwordHash: placeholder });
      await em.flush();
      const link = await this.passwords.issue(em, user, null);
      this.audit.record(em, {
        actorId: null,
        entity: AuditEntity.User,
        entityId: user.id,
        action: AuditAction.UserCreate,
        after: { email: user.email, role: user.role, ...snapshot(user), passwordLinkExpiresAt: link.view.expiresAt, via: 'create-admin' },
      });
      await em.flush();
      return { user, link };
    });
    await this.passwords.handOver(link.mailIds);
    return { user: await this.get(user.id), link };
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserRequest): Promise<UserView> {
    const { user, after } = await writeTransaction(this.em, async (em) => {
      const user = await this.users.findById(em, id);
      if (!user) throw notFound('user');
      // Nobody changes their own activity or role flags: an admin locking themselves out leaves nobody to undo it.
      if (user.id === actor.id) {
        if (dto.active !== undefined) throw invalid('body.active', 'you cannot change whether your own account is active', FieldErrorCode.NotAllowed);
        if (dto.signer !== undefined) throw invalid('body.signer', 'you cannot change your own signer flag', FieldErrorCode.NotAllowed);
      }
      if (dto.signer !== undefined && user.role !== Role.Staff) {
        throw invalid('body.signer', `only staff can be signers; this user is ${user.role === Role.Admin ? 'an admin' : 'a vet'}`, FieldErrorCode.NotAllowed);
      }
      if (dto.clinicId !== undefined) {
        if (user.role !== Role.Vet) throw invalid('body.clinicId', 'only vets belong to a clinic', FieldErrorCode.NotAllowed);
        if (!(await this.users.clinicExists(em, dto.clinicId))) throw invalid('body.clinicId', 'no such clinic', FieldErrorCode.UnknownReference);
      }
      if (dto.active === false && user.active && user.role === Role.Admin && (await this.users.otherActiveAdmins(em, user.id)) === 0) {
        throw invalid('body.active', 'the last active admin cannot be deactivated', FieldErrorCode.NotAllowed);
      }

      const was = snapshot(user);
      const wanted: Snapshot = { name: dto.name ?? was.name, active: dto.active ?? was.active, signer: dto.signer ?? was.signer, clinicId: dto.clinicId ?? was.clinicId };
      const before: Partial<Snapshot> = {};
      const after: Partial<Snapshot> = {};
      for (const key of Object.keys(wanted) as (keyof Snapshot)[]) {
        if (wanted[key] === was[key]) continue;
        Object.assign(before, { [key]: was[key] });
        Object.assign(after, { [key]: wanted[key] });
      }
      if (!Object.keys(after).length) return { user, after };
      const { clinicId, ...fields } = after;
      em.assign(user, fields);
      if (clinicId !== undefined) user.clinic = await this.users.clinicExists(em, clinicId!);
      this.audit.record(em, { actorId: actor.id, entity: AuditEntity.User, entityId: user.id, action: AuditAction.UserUpdate, before, after });
      if (after.active === false) await this.refreshTokens.revokeAllForUser(user.id, em);
      await em.flush();
      return { user, after };
    });
    // After the commit, so nothing can bring the session back: refresh tokens are dead, and the
    // per-request user lookup refuses the access token on REST and on a socket's reconnect.
    if (after.active === false) {
      this.realtime.emit(audience('session:ended', { userId: user.id }), 'session:ended', { reason: 'deactivated' });
      this.realtime.disconnect([rooms.user(user.id)]);
    }
    return toUserView(user);
  }
}
