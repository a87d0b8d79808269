import { Injectable } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import { FastSql } from '../database/fast-sql.service';
import { KeyLookup } from '../database/key-lookup';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

interface UserRow {
  key: string;
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

const SQL = (match: string) => `select id as key, id, email, name, role, signer, active, clinic_id from users where id ${match}`;

/**
 * Resolves an access token to the current user with one primary-key lookup per request, so a
 * deactivated user (or a changed role or clinic) is refused at the very next request. The lookup
 * is a plain indexed query, not an entity load: it runs on every authenticated request (a cached
 * PDF open is little more than this), and hydrating an entity in a fresh unit of work cost several
 * times the query itself. FastSql keeps the statement prepared; on PostgreSQL the lookups of requests
 * that arrive together are one query (KeyLookup).
 */
@Injectable()
export class UserLookupService {
  private readonly users: KeyLookup<UserRow>;

  constructor(
    sql: FastSql,
    private readonly tokens: TokenService,
  ) {
    this.users = new KeyLookup(sql, SQL);
  }

  async fromToken(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    const payload = this.tokens.verifyAccessToken(token);
    if (!payload) return null;
    const user = await this.users.get(payload.sub);
    if (!user || !truthy(user.active)) return null;
    return { id: user.id, email: user.email, name: user.name, role: user.role, signer: truthy(user.signer), clinicId: user.clinic_id ?? null };
  }
}
