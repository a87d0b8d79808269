import { Injectable } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { FastSql } from '../database/fast-sql.service';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** SQLite answers 0/1, PostgreSQL a boolean. */
  signer: boolean | number;
  active: boolean | number;
  clinic_id: string | null;
}

const truthy = (v: boolean | number) => v === true || v === 1;

/**
 * Resolves an access token to the current user with one primary-key lookup per request, so a
 * deactivated user (or a changed role or clinic) is refused at the very next request.
 */
@Injectable()
export class UserLookupService {
  constructor(
    private readonly sql: FastSql,
    private readonly tokens: TokenService,
  ) {}

  async fromToken(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    const payload = this.tokens.verifyAccessToken(token);
    if (!payload) return null;
    // Plain SQL on the primary key: this runs before every request, the ORM's hydration is not needed.
    const [user] = await this.sql.all<UserRow>('select id, email, name, role, signer, active, clinic_id from users where id = ?', [payload.sub]);
    if (!user || !truthy(user.active)) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, signer: truthy(user.signer), clinicId: user.clinic_id ?? null };
  }
}
