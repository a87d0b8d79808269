import type { FastifyReply, FastifyRequest } from 'fastify';
import { REFRESH_COOKIE, SECURE_COOKIES, sessionCookieOf } from './session-cookie';

function setup(cookies: Record<string, string> = {}, secure = false, production = false) {
  const res = { setCookie: jest.fn(), clearCookie: jest.fn() };
  const req = { cookies, protocol: secure ? 'https' : 'http', server: { [SECURE_COOKIES]: production } };
  const cookie = sessionCookieOf(req as unknown as FastifyRequest, res as unknown as FastifyReply);
  return { cookie, res };
}

describe('sessionCookieOf', () => {
  it('reads the refresh cookie, treating an empty one as absent', () => {
    expect(setup({ [REFRESH_COOKIE]: 'tok' }).cookie.value).toBe('tok');
    expect(setup({ [REFRESH_COOKIE]: '' }).cookie.value).toBeNull();
    expect(setup().cookie.value).toBeNull();
  });

  it('sets an httpOnly, SameSite=Strict cookie on /api/auth with Max-Age in seconds', () => {
    const { cookie, res } = setup();
    cookie.set('tok', 60);
    expect(res.setCookie).toHaveBeenCalledWith(REFRESH_COOKIE, 'tok', { httpOnly: true, sameSite: 'strict', path: '/api/auth', secure: false, maxAge: 60 });
  });

  it('is Secure when the request is, and clears with the same attributes', () => {
    const { cookie, res } = setup({}, true);
    cookie.clear();
    expect(res.clearCookie).toHaveBeenCalledWith(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/api/auth', secure: true });
  });

  it('is always Secure in production, even for a plain-http request', () => {
    const { cookie, res } = setup({}, false, true);
    cookie.set('tok', 60);
    expect(res.setCookie).toHaveBeenCalledWith(REFRESH_COOKIE, 'tok', expect.objectContaining({ secure: true }));
  });
});
