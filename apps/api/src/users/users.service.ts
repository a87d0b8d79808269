import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, FieldErrorCode, Page, PageQuery, Role, rooms, UpdateUserRequest, UserListQuery, UserView } from '@vetlab/shared';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { RefreshTokenService } from '../auth/refresh-token.service';
import { invalid, notFound } from '../common/domain-error';
import { audience } from '../realtime/event-audience';
import { RealtimeService } from '../realtime/realtime.service';
import { User } from './user.entity';
import { toUserView } from './user-views';

export const UsersQuery = UserListQuery.extend(PageQuery.shape);
export type UsersQuery = z.output<typeof UsersQuery>;

const EDITABLE = ['name', 'active', 'signer'] as const;
type Changes = Partial<Pick<User, (typeof EDITABLE)[number]>>;

/** Admin user management. Accounts are created by the seed/ops for now; here they are edited. */
@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly refreshTokens: RefreshTokenService,
    private readonly realtime: RealtimeService,
    private readonly audit: AuditService,
  ) {}

  async list(query: UsersQuery): Promise<Page<UserView>> {
    const where: FilterQuery<User> = {};
    if (query.role) where.role = query.role;
    if (query.clinicId) where.clinic = query.clinicId;
    const [users, total] = await this.em.findAndCount(User, where, {
      populate: ['clinic'],
      orderBy: { name: 'asc', id: 'asc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: users.map(toUserView), total, page: query.page, pageSize: query.pageSize };
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserRequest): Promise<UserView> {
    const { user, changed } = await this.em.transactional(async (em) => {
      const user = await em.findOne(User, { id }, { populate: ['clinic'] });
      if (!user) throw notFound('user');
      if (dto.signer !== undefined && user.role !== Role.Staff) {
        throw invalid('body.signer', `only staff can be signers; this user is ${user.role === Role.Admin ? 'an admin' : 'a vet'}`, FieldErrorCode.NotAllowed);
      }
      // An admin locking themselves out leaves the lab without anyone to undo it.
      if (dto.active === false && user.id === actor.id) throw invalid('body.active', 'you cannot deactivate your own account', FieldErrorCode.NotAllowed);

      const before: Changes = {};
      const after: Changes = {};
      for (const key of EDITABLE) {
        if (dto[key] === undefined || dto[key] === user[key]) continue;
        Object.assign(before, { [key]: user[key] });
        Object.assign(after, { [key]: dto[key] });
      }
      if (!Object.keys(after).length) return { user, changed: after };
      em.assign(user, after);
      this.audit.record(em, { actorId: actor.id, entity: 'user', entityId: user.id, action: AuditAction.UserUpdate, before, after });
      if (after.active === false) await this.refreshTokens.revokeAllForUser(user.id, em);
      return { user, changed: after };
    });
    // After the commit, so nothing can bring the session back: refresh tokens are dead, and the
    // per-request user lookup refuses the access token on REST and on a socket's reconnect.
    if (changed.active === false) {
      this.realtime.emit(audience('session:ended', { userId: user.id }), 'session:ended', { reason: 'deactivated' });
      this.realtime.disconnect([rooms.user(user.id)]);
    }
    return toUserView(user);
  }
}
