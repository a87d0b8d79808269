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

const REFRESH_COOKIE = 'vetlab_refresh';

/** The refresh cookie a response set: its value and its attributes, lower-cased (null: none set). */
export function refreshCookie(res: { headers: Record<string, unknown> }) {
  const all = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const line = all.find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  if (!line) return null;
  const [pair, ...attrs] = line.split(';').map((s) => s.trim());
  return { value: decodeURIComponent(pair.slice(REFRESH_COOKIE.length + 1)), attrs: attrs.map((a) => a.toLowerCase()), line };
}

/** A Cookie header carrying a refresh token. */
export const cookieHeader = (value: string) => `${REFRESH_COOKIE}=${encodeURIComponent(value)}`;
