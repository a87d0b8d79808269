import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  signer: boolean | number;
  active: boolean | number;
  clinic_id: string | null;
}

/**
 * Resolves an access token to the current user with one primary-key lookup per request, so a
 * deactivated user (or a changed role or clinic) is refused at the very next request. The lookup
 * is a plain indexed query, not an entity load: it runs on every authenticated request (a cached
 * PDF open is little more than this), and hydrating an entity in a fresh unit of work cost several
 * times the query itself.
 */
const SQL = 'select id, email, name, role, signer, active, clinic_id from users where id = ?';

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
    const [user] = await this.em.getConnection().execute<UserRow[]>(SQL, [payload.sub]);
    if (!user || !user.active) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, signer: Boolean(user.signer), clinicId: user.clinic_id ?? null };
  }
}
