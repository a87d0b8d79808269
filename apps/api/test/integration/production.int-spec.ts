import { AuditAction, HealthView, Role } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { OutboxMessage } from '../../src/mail/outbox.entity';
import { PasswordLink } from '../../src/passwords/password-link.entity';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { PASSWORD, seedFixtures } from '../support/fixtures';
import { runMain } from '../support/main-process';
import { startRedis, TestRedis } from '../support/redis-server';
import { createTestApp, TestApp } from '../support/test-app';

/** What a production deployment needs to start at all (each is refused otherwise: app-config.spec.ts). */
const PRODUCTION = { NODE_ENV: 'production', PASSWORD_HASH_COST: 'normal', PUBLIC_URL: 'https://lab.example.com' };
const LIMIT = 3;

/**
 * A test app with NODE_ENV=production behind a proxy it trusts (127.0.0.1, the test's own address),
 * and one that trusts none, on a Redis of its own that the test stops.
 */
describe('production settings', () => {
  let t: TestApp;
  let direct: TestApp;
  let redis: TestRedis;
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    redis = await startRedis();
    const limits = { VERIFY_RATE_LIMIT: String(LIMIT), VERIFY_RATE_WINDOW_SECONDS: '60' };
    [t, direct] = await Promise.all([
      createTestApp({ ...PRODUCTION, ...limits, TRUST_PROXY: '127.0.0.1' }),
      createTestApp({ ...PRODUCTION, ...limits, TRUST_PROXY: 'false', REDIS_URL: redis.url }, 'api'),
    ]);
    const f = await seedFixtures(t.em());
    await seedFixtures(direct.em());
    [admin, staff] = await Promise.all([tokenFor(t, f.admin), tokenFor(t, f.staff)]);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([t?.close(), direct?.close()]);
    await redis?.close();
  });

  const lookup = (app: TestApp, from: string) => app.http().get('/api/verify/0000-0000-0000-0000').set('X-Forwarded-For', from);

  describe('TRUST_PROXY', () => {
    it("set: X-Forwarded-For from the trusted proxy is the client's address for the per-address limiter", async () => {
      for (let i = 0; i < LIMIT; i++) await lookup(t, '10.19.0.1').expect(404);
      await lookup(t, '10.19.0.1').expect(429);
      // Another client behind the same proxy has its own allowance.
      await lookup(t, '10.19.0.2').expect(404);
    });

    it('unset: X-Forwarded-For is ignored (anybody could write it); the socket address counts', async () => {
      for (let i = 0; i < LIMIT; i++) await lookup(direct, `10.19.1.${i}`).expect(404);
      const res = await lookup(direct, '10.19.1.99').expect(429);
      expect(res.body).toMatchObject({ code: 'RATE_LIMITED' });
    });
  });

  it('the refresh cookie is Secure in production, even on a plain-http request without X-Forwarded-Proto', async () => {
    const res = await t.http().post('/api/auth/login').send({ email: 'staff@lab.test', password: PASSWORD }).expect(200);
    const cookie = ((res.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('vetlab_refresh='));
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
  });

  describe('health: the bare answer for everybody, the details for admins', () => {
    it('without a token: status and which service is down, nothing more', async () => {
      const res = await t.http().get('/api/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', down: [] });
    });

    it("with an admin's token: the details; another role's or a bad token is refused", async () => {
      const body = (await t.http().get('/api/health').set(bearer(admin)).expect(200)).body as HealthView;
      expect(body).toMatchObject({ status: 'ok', role: 'all', database: { ok: true, latencyMs: expect.any(Number) }, redis: { ok: true, durability: { maxmemoryPolicy: 'noeviction' } } });
      await t.http().get('/api/health').set(bearer(staff)).expect(403);
      await t.http().get('/api/health').set(bearer('not-a-token')).expect(401);
    });

    it('a service down: 503 within a second, naming it', async () => {
      await redis.stop();
      const started = Date.now();
      const res = await direct.http().get('/api/health').expect(503);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.body).toEqual({ status: 'down', down: ['redis'] });
      // Back, so the app closes as usual.
      await redis.start();
    });
  });

  it('the OpenAPI document needs an admin bearer token; no Swagger UI page', async () => {
    for (const path of ['/api/docs', '/api/docs/openapi.json']) {
      await t.http().get(path).expect(401);
      await t.http().get(path).set(bearer(staff)).expect(403);
    }
    const doc = (await t.http().get('/api/docs/openapi.json').set(bearer(admin)).expect(200)).body;
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: 'vetlab API' } });
    expect(Object.keys(doc.paths)).toContain('/api/health');
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
  });

  it('seed refuses to write demo accounts in production, and the low hash cost is refused outright', async () => {
    const [seed, low] = await Promise.all([
      runMain(['seed', '--if-empty'], { ...t.env }),
      runMain(['seed', '--if-empty'], { ...t.env, PASSWORD_HASH_COST: 'low' }),
    ]);
    expect(seed.code).not.toBe(0);
    expect(seed.output).toMatch(/seed: refused in production \(NODE_ENV=production\).*npm run create-admin/);
    expect(low.code).not.toBe(0);
    expect(low.output).toMatch(/PASSWORD_HASH_COST: low is for tests/);
    expect(await t.em().count(User, { email: 'admin@vetlab.local' })).toBe(0);
  }, 30_000);

  it('create-admin: refused while an active admin exists; with --force an admin, audited, with a mailed one-time link that sets the password', async () => {
    const args = ['create-admin', '--email=Primera@Lab.Example.com', '--name=Primera Admin'];
    const refused = await runMain(args, { ...t.env });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/create-admin: the lab already has 1 active admin\(s\).*--force/);

    const made = await runMain([...args, '--force'], { ...t.env });
    expect({ code: made.code, output: made.code === 0 ? '' : made.output }).toEqual({ code: 0, output: '' });
    const token = made.output.match(/https:\/\/lab\.example\.com\/password\/([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeDefined();

    const user = await t.em().findOneOrFail(User, { email: 'primera@lab.example.com' });
    expect(user).toMatchObject({ role: Role.Admin, active: true, name: 'Primera Admin' });
    const audit = await t.em().find(AuditLog, { entity: 'user', entityId: user.id });
    expect(audit).toEqual([expect.objectContaining({ actorId: null, action: AuditAction.UserCreate, after: expect.objectContaining({ role: 'admin', via: 'create-admin' }) })]);
    expect(JSON.stringify(audit)).not.toContain(token);
    const [link] = await t.em().find(PasswordLink, { user: user.id });
    expect(await t.em().count(OutboxMessage, { subjectId: link.id, recipient: 'primera@lab.example.com' })).toBe(1);

    await t.http().post('/api/auth/password').send({ token, password: 'una-clave-larga-de-verdad' }).expect(204);
    const login = await t.http().post('/api/auth/login').send({ email: 'primera@lab.example.com', password: 'una-clave-larga-de-verdad' }).expect(200);
    expect(login.body.user).toMatchObject({ role: 'admin' });
    await t.http().post('/api/auth/password').send({ token, password: 'otra-clave-larga-de-verdad' }).expect(410);
  }, 40_000);
});
