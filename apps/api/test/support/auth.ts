import { EntityManager } from '@mikro-orm/core';
import { TokenService } from '../../src/auth/token.service';
import { User } from '../../src/users/user.entity';
import { TestApp } from './test-app';

/** An access token for a user without going through login (login has its own tests). */
export async function tokenFor(t: TestApp, user: User | string): Promise<string> {
  const em: EntityManager = t.em();
  const u = typeof user === 'string' ? await em.findOneOrFail(User, { email: user }, { populate: ['clinic'] }) : await em.findOneOrFail(User, { id: user.id }, { populate: ['clinic'] });
  return t.app.get(TokenService).issueAccessToken(u).token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
