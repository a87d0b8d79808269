import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { User } from '../users/user.entity';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

/**
 * Resolves an access token to the current user with one primary-key lookup per request, so a
 * deactivated user (or a changed role or clinic) is refused at the very next request.
 */
@Injectable()
export class UserLookupService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
  ) {}

  async fromToken(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    const payload = this.tokens.verifyAccessToken(token);
    if (!payload) return null;
    const user = await this.em.fork().findOne(User, { id: payload.sub }, { fields: ['id', 'email', 'name', 'role', 'signer', 'active', 'clinic'] });
    if (!user || !user.active) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, signer: user.signer, clinicId: user.clinic?.id ?? null };
  }
}
