import type { CookieSerializeOptions } from '@fastify/cookie';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const REFRESH_COOKIE = 'vetlab_refresh';
/** Only the auth endpoints ever see the refresh token. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/** The refresh-token cookie of one request/reply pair, so services never touch the HTTP platform. */
export interface SessionCookie {
  readonly value: string | null;
  set(token: string, maxAgeSeconds: number): void;
  clear(): void;
}

/**
 * Name of the Fastify server decoration (set once at start) that makes the cookie Secure on every
 * request: true in production, so a proxy that forgot X-Forwarded-Proto, or a TRUST_PROXY that does
 * not name it, never gets the refresh token sent over plain http.
 */
export const SECURE_COOKIES = 'vetlabSecureCookies';

declare module 'fastify' {
  interface FastifyInstance {
    [SECURE_COOKIES]?: boolean;
  }
}

export function sessionCookieOf(req: FastifyRequest, reply: FastifyReply): SessionCookie {
  const raw: unknown = req.cookies?.[REFRESH_COOKIE];
  // `secure`: always in production; otherwise it follows the request (plain http in dev and tests).
  const secure = req.server?.[SECURE_COOKIES] === true || req.protocol === 'https';
  const base: CookieSerializeOptions = { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure };
  return {
    value: typeof raw === 'string' && raw.length > 0 ? raw : null,
    set: (token, maxAgeSeconds) => void reply.setCookie(REFRESH_COOKIE, token, { ...base, maxAge: maxAgeSeconds }),
    clear: () => void reply.clearCookie(REFRESH_COOKIE, base),
  };
}

/** `@Cookie() cookie: SessionCookie` in a controller method. */
export const Cookie = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionCookie => {
  const http = ctx.switchToHttp();
  return sessionCookieOf(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
});

/** The caller's address (Fastify resolves X-Forwarded-For only from trusted proxies). */
export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
});
