import { LoginResponse } from '@vetlab/shared';
import { createHash } from 'node:crypto';
import { RefreshToken } from '../../src/auth/refresh-token.entity';
import { User } from '../../src/users/user.entity';
import { bearer, cookieHeader, refreshCookie } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('auth', () => {
  let t: TestApp;
  let f: Fixtures;

  const login = (email: string, password = PASSWORD, ip?: string) => {
    const req = t.http().post('/api/auth/login');
    if (ip) req.set('X-Forwarded-For', ip);
    return req.send({ email, password });
  };
  const refresh = (cookie?: string) => {
    const req = t.http().post('/api/auth/refresh');
    if (cookie) req.set('Cookie', cookieHeader(cookie));
    return req;
  };

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
  });
  afterAll(() => t?.close());

  describe('login', () => {
    it('returns an access token and Me, and sets the refresh cookie', async () => {
      const res = await login('VET.A@norte.test').expect(200);
      const body = res.body as LoginResponse;
      expect(body.expiresIn).toBe(t.config.auth.accessTtlSeconds);
      expect(body.user).toEqual({
        id: f.vetA.id,
        email: 'vet.a@norte.test',
        name: f.vetA.name,
        role: 'vet',
        signer: false,
        clinic: { id: f.clinicA.id, name: f.clinicA.name },
      });
      const cookie = refreshCookie(res)!;
      expect(cookie.value).toMatch(/^[\w-]{40,}$/);
      expect(cookie.attrs).toEqual(
        expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth', `max-age=${t.config.auth.refreshTtlSeconds}`]),
      );
      expect(cookie.attrs).not.toContain('secure');
      const me = await t.http().get('/api/auth/me').set(bearer(body.accessToken)).expect(200);
      expect(me.body).toEqual(body.user);
    });

    it('stores only the SHA-256 of the refresh token', async () => {
      const cookie = refreshCookie(await login(f.staff.email).expect(200))!;
      const rows = await t.em().find(RefreshToken, { user: f.staff.id });
      expect(rows.map((r) => r.tokenHash)).toContain(sha256(cookie.value));
      expect(rows.map((r) => r.tokenHash)).not.toContain(cookie.value);
    });

    it('marks the cookie Secure when the request came over https', async () => {
      const res = await t.http().post('/api/auth/login').set('X-Forwarded-Proto', 'https').send({ email: f.staff.email, password: PASSWORD }).expect(200);
      expect(refreshCookie(res)!.attrs).toContain('secure');
    });

    it('answers a wrong password, an unknown email and an inactive user with the same 401', async () => {
      const inactive = t.em().create(User, { email: 'gone@lab.test', name: 'Gone', role: 'staff', passwordHash: (await t.em().findOneOrFail(User, f.staff.id, { populate: ['passwordHash'] })).passwordHash, active: false });
      await t.em().persistAndFlush(inactive);
      const answers = await Promise.all([login(f.vetA.email, 'wrong-password'), login('nobody@lab.test'), login('gone@lab.test')]);
      for (const res of answers) {
        expect(res.status).toBe(401);
        expect(refreshCookie(res)).toBeNull();
      }
      expect(new Set(answers.map((r) => r.body.message)).size).toBe(1);
      expect(answers[0].body.message).toMatch(/email or password/);
    });

    it('answers a malformed body with 400 naming the field', async () => {
      const bad = await t.http().post('/api/auth/login').send({ email: 'not-an-email', password: 'x' }).expect(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'body.email' })]);
      const missing = await t.http().post('/api/auth/login').send({ email: f.vetA.email }).expect(400);
      expect(missing.body.details).toEqual([{ field: 'body.password', message: 'required', code: 'required' }]);
    });
  });

  describe('refresh', () => {
    it('rotates: new cookie and access token; the old cookie then fails and ends the family', async () => {
      const first = refreshCookie(await login(f.vetB.email).expect(200))!.value;
      const res = await refresh(first).expect(200);
      const second = refreshCookie(res)!;
      expect(second.value).not.toBe(first);
      expect(second.attrs).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api/auth']));
      const body = res.body as LoginResponse;
      expect(body.user.id).toBe(f.vetB.id);
      await t.http().get('/api/auth/me').set(bearer(body.accessToken)).expect(200);

      // Replaying the rotated token looks like theft: 401, and the newer token dies with it.
      const replay = await refresh(first).expect(401);
      expect(refreshCookie(replay)!.line).toMatch(/Expires=Thu, 01 Jan 1970/);
      await refresh(second.value).expect(401);
      const family = await t.em().findOneOrFail(RefreshToken, { tokenHash: sha256(first) });
      const members = await t.em().find(RefreshToken, { familyId: family.familyId });
      expect(members).toHaveLength(2);
      expect(members.every((m) => m.revokedAt)).toBe(true);
    });

    it('refuses a missing, unknown or expired token, and an inactive user', async () => {
      await refresh().expect(401);
      await refresh('not-a-token-we-issued').expect(401);

      const expired = refreshCookie(await login(f.signer.email).expect(200))!.value;
      await t.em().nativeUpdate(RefreshToken, { tokenHash: sha256(expired) }, { expiresAt: new Date(Date.now() - 1000) });
      await refresh(expired).expect(401);

      const user = t.em().create(User, { email: 'soon-gone@lab.test', name: 'Soon Gone', role: 'staff', passwordHash: (await t.em().findOneOrFail(User, f.staff.id, { populate: ['passwordHash'] })).passwordHash });
      await t.em().persistAndFlush(user);
      const cookie = refreshCookie(await login(user.email).expect(200))!.value;
      await t.em().nativeUpdate(User, { id: user.id }, { active: false });
      const res = await refresh(cookie).expect(401);
      expect(res.body.message).toMatch(/sign in again/);
    });
  });

  describe('logout', () => {
    it('revokes the family and clears the cookie', async () => {
      const cookie = refreshCookie(await login(f.admin.email).expect(200))!.value;
      const res = await t.http().post('/api/auth/logout').set('Cookie', cookieHeader(cookie)).expect(204);
      const cleared = refreshCookie(res)!;
      expect(cleared.value).toBe('');
      expect(cleared.line).toMatch(/Path=\/api\/auth/);
      expect(cleared.line).toMatch(/Expires=Thu, 01 Jan 1970/);
      await refresh(cookie).expect(401);
      const row = await t.em().findOneOrFail(RefreshToken, { tokenHash: sha256(cookie) });
      expect(row.revokedAt).toBeInstanceOf(Date);
    });

    it('is harmless without a cookie', async () => {
      await t.http().post('/api/auth/logout').expect(204);
    });
  });

  it('GET /api/auth/me needs an access token', async () => {
    await t.http().get('/api/auth/me').expect(401);
    await t.http().get('/api/auth/me').set(bearer('garbage')).expect(401);
  });

  it('documents the endpoints in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/me']));
    expect(doc.paths['/api/auth/login'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/auth/login'].post.tags).toEqual(['auth']);
  });
});

describe('login rate limiting (LOGIN_RATE_LIMIT=3)', () => {
  let t: TestApp;
  let f: Fixtures;
  const login = (email: string, password: string, ip: string) =>
    t.http().post('/api/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '3' });
    f = await seedFixtures(t.em());
  });
  afterAll(() => t?.close());

  it('locks an account after 3 failures, even for the right password, with Retry-After', async () => {
    for (let i = 0; i < 3; i++) await login(f.vetA.email, 'wrong', '10.9.0.1').expect(401);
    const res = await login(f.vetA.email, PASSWORD, '10.9.0.2').expect(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(t.config.auth.loginRateWindowSeconds);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(res.body.message).toMatch(/too many failed login attempts for this account; try again in \d+ minutes?/);
    // Other accounts from the same address are unaffected.
    await login(f.vetB.email, PASSWORD, '10.9.0.1').expect(200);
  });

  it('a successful login clears the account failures', async () => {
    for (let i = 0; i < 2; i++) await login(f.staff.email, 'wrong', '10.9.1.1').expect(401);
    await login(f.staff.email, PASSWORD, '10.9.1.1').expect(200);
    for (let i = 0; i < 2; i++) await login(f.staff.email, 'wrong', '10.9.1.1').expect(401);
    await login(f.staff.email, PASSWORD, '10.9.1.1').expect(200);
  });

  it('limits attempts per address to 5 × 3, whatever the accounts', async () => {
    for (let i = 0; i < 15; i++) await login(`nobody${i}@lab.test`, 'wrong', '10.9.2.1').expect(401);
    const res = await login(f.admin.email, PASSWORD, '10.9.2.1').expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.message).toMatch(/from this address/);
    await login(f.admin.email, PASSWORD, '10.9.2.2').expect(200);
  });
});
