import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { IdSchema, Role } from '@vetlab/shared';
import DataLoader from 'dataloader';
import { AuthUser } from './auth-user';
import { TokenService } from './token.service';

/** SQLite answers 0/1, PostgreSQL a boolean. */
const truthy = (v: unknown) => v === true || v === 1;

/**
 * Resolves an access token to the current user with one primary-key lookup per request, so a
 * deactivated user (or a changed role or clinic) is refused at the very next request. The lookup
 * is a plain indexed query, not an entity load (it runs on every authenticated request, and
 * hydrating an entity in a fresh unit of work cost several times the query itself), and the
 * lookups of requests that arrive in the same turn of the event loop are one query (dataloader).
 */
@Injectable()
export class UserLookupService {
  private readonly users = new DataLoader<string, AuthUser | null>((ids) => this.activeUsers(ids), { cache: false });

  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokenService,
  ) {}

  async fromToken(token: string | undefined | null): Promise<AuthUser | null> {
    if (!token) return null;
    const payload = this.tokens.verifyAccessToken(token);
    // A token's subject is always a user id; anything else would only fail the others' query.
    if (!payload || !IdSchema.safeParse(payload.sub).success) return null;
    return this.users.load(payload.sub.toLowerCase());
  }

  private async activeUsers(ids: readonly string[]): Promise<(AuthUser | null)[]> {
    const rows = await this.em
      .getConnection()
      .execute(`select id, email, name, role, signer, active, clinic_id from users where id in (${ids.map(() => '?').join(', ')})`, [...ids]);
    const byId = new Map<string, AuthUser>();
    for (const u of rows) {
      if (!truthy(u.active)) continue;
      byId.set(String(u.id).toLowerCase(), { id: u.id, email: u.email, name: u.name, role: u.role as Role, signer: truthy(u.signer), clinicId: u.clinic_id ?? null });
    }
    return ids.map((id) => byId.get(id) ?? null);
  }
}
