import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';

export const REFRESH_COOKIE = 'vetlab_refresh';
/** Only the auth endpoints ever see the refresh token. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/** The refresh-token cookie of one request/response pair, so services never touch Express. */
export interface SessionCookie {
  readonly value: string | null;
  set(token: string, maxAgeSeconds: number): void;
  clear(): void;
}

export function sessionCookieOf(req: Request, res: Response): SessionCookie {
  const raw: unknown = req.cookies?.[REFRESH_COOKIE];
  // `secure` follows the request: https in production (behind a trusted proxy), plain http in dev and tests.
  const base: CookieOptions = { httpOnly: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH, secure: req.secure };
  return {
    value: typeof raw === 'string' && raw.length > 0 ? raw : null,
    set: (token, maxAgeSeconds) => res.cookie(REFRESH_COOKIE, token, { ...base, maxAge: maxAgeSeconds * 1000 }),
    clear: () => res.clearCookie(REFRESH_COOKIE, base),
  };
}

/** `@Cookie() cookie: SessionCookie` in a controller method. */
export const Cookie = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionCookie => {
  const http = ctx.switchToHttp();
  return sessionCookieOf(http.getRequest<Request>(), http.getResponse<Response>());
});

/** The caller's address (Express resolves X-Forwarded-For only from trusted proxies). */
export const ClientIp = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
});
