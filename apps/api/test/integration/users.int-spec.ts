import { AuditAction, Page, UserView } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { RefreshToken } from '../../src/auth/refresh-token.entity';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { disconnected, nextEvent, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';

describe('users', () => {
  let t: TestApp;
  let f: Fixtures;
  let admin: string;
  const sockets = new SocketPool();

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    admin = await tokenFor(t, f.admin);
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
  });

  /** A throwaway user so tests that change users do not disturb each other. */
  async function newUser(role: 'vet' | 'staff' | 'admin', extra: Partial<User> = {}) {
    const em = t.em();
    const { passwordHash } = await em.findOneOrFail(User, f.staff.id, { populate: ['passwordHash'] });
    const user = em.create(User, { email: `${randomUUID()}@lab.test`, name: `Temp ${role}`, role, passwordHash, ...extra });
    await em.flush();
    return user;
  }
  const patch = (id: string, body: unknown, token = admin) => t.http().patch(`/api/users/${id}`).set(bearer(token)).send(body as object);

  describe('GET /api/users', () => {
    it('pages every user for an admin, without secrets', async () => {
      const res = await t.http().get('/api/users').set(bearer(admin)).expect(200);
      const page = res.body as Page<UserView>;
      expect(page).toMatchObject({ page: 1, pageSize: 25 });
      expect(page.total).toBeGreaterThanOrEqual(5);
      const vetA = page.items.find((u) => u.id === f.vetA.id);
      expect(vetA).toEqual({
        id: f.vetA.id,
        email: f.vetA.email,
        name: f.vetA.name,
        role: 'vet',
        signer: false,
        clinic: { id: f.clinicA.id, name: f.clinicA.name },
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        hasSignature: false,
      });
      expect(JSON.stringify(page)).not.toMatch(/passwordHash|signaturePng/);
    });

    it('filters by role and clinic, and pages', async () => {
      const vets = (await t.http().get('/api/users').query({ role: 'vet' }).set(bearer(admin)).expect(200)).body as Page<UserView>;
      expect(vets.items.every((u) => u.role === 'vet')).toBe(true);
      expect(vets.items.map((u) => u.id)).toEqual(expect.arrayContaining([f.vetA.id, f.vetB.id]));
      const ofB = (await t.http().get('/api/users').query({ clinicId: f.clinicB.id }).set(bearer(admin)).expect(200)).body as Page<UserView>;
      expect(ofB.items.map((u) => u.id)).toEqual([f.vetB.id]);
      const p1 = (await t.http().get('/api/users').query({ page: 1, pageSize: 2 }).set(bearer(admin)).expect(200)).body as Page<UserView>;
      const p2 = (await t.http().get('/api/users').query({ page: 2, pageSize: 2 }).set(bearer(admin)).expect(200)).body as Page<UserView>;
      expect(p1.items).toHaveLength(2);
      expect(p2.items).toHaveLength(2);
      expect(p1.items.map((u) => u.id)).not.toEqual(expect.arrayContaining(p2.items.map((u) => u.id)));
      expect(p2.total).toBe(p1.total);
    });

    it('answers a bad query with 400 naming the field', async () => {
      const res = await t.http().get('/api/users').query({ role: 'boss', clinicId: 'x' }).set(bearer(admin)).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['query.clinicId', 'query.role']);
      const size = await t.http().get('/api/users').query({ pageSize: 1000 }).set(bearer(admin)).expect(400);
      expect(size.body.details[0].field).toBe('query.pageSize');
    });
  });

  describe('access', () => {
    it.each(['staff', 'vet'] as const)('is 403 for %s', async (role) => {
      const token = await tokenFor(t, role === 'staff' ? f.staff : f.vetA);
      await t.http().get('/api/users').set(bearer(token)).expect(403);
      await patch(f.vetB.id, { name: 'Hacked' }, token).expect(403);
    });

    it('is 401 without a token', async () => {
      await t.http().get('/api/users').expect(401);
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('renames and flags a signer, and writes an audit row with before and after', async () => {
      const staff = await newUser('staff');
      const res = await patch(staff.id, { name: 'Renamed Tech', signer: true }).expect(200);
      expect(res.body).toMatchObject({ id: staff.id, name: 'Renamed Tech', signer: true, active: true, role: 'staff' });
      const audit = await t.em().find(AuditLog, { entity: 'user', entityId: staff.id });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actorId: f.admin.id,
        action: AuditAction.UserUpdate,
        before: { name: 'Temp staff', signer: false },
        after: { name: 'Renamed Tech', signer: true },
      });
      // A no-op change writes nothing.
      await patch(staff.id, { signer: true }).expect(200);
      expect(await t.em().count(AuditLog, { entity: 'user', entityId: staff.id })).toBe(1);
    });

    it('refuses signer for a vet or an admin, naming the field', async () => {
      for (const id of [f.vetA.id, f.admin.id]) {
        const res = await patch(id, { signer: true }).expect(400);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'body.signer' })]);
      }
    });

    it('validates the body and the id', async () => {
      expect((await patch(f.staff.id, {}).expect(400)).body.message).toMatch(/nothing to update/);
      expect((await patch(f.staff.id, { role: 'admin' }).expect(400)).body.message).toMatch(/unknown field/);
      expect((await patch(f.staff.id, { active: 'no' }).expect(400)).body.details[0].field).toBe('body.active');
      const bad = await patch('not-a-uuid', { name: 'X' }).expect(400);
      expect(bad.body.details).toEqual([{ field: 'param.id', message: 'must be a UUID', code: 'invalid_format' }]);
      await patch(randomUUID(), { name: 'X' }).expect(404);
    });

    it('does not let an admin deactivate themselves', async () => {
      const res = await patch(f.admin.id, { active: false }).expect(400);
      expect(res.body.details[0].field).toBe('body.active');
    });
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(doc.paths['/api/users'].get.tags).toEqual(['users']);
    expect(doc.paths['/api/users/{id}'].patch.requestBody).toBeDefined();
    expect(doc.paths['/api/clinics'].get.tags).toEqual(['clinics']);
  });

  describe('deactivation', () => {
    it('ends every session: access token refused, refresh tokens revoked, socket disconnected', async () => {
      const vet = await newUser('vet', { clinic: f.clinicA });
      const login = await t.http().post('/api/auth/login').send({ email: vet.email, password: PASSWORD }).expect(200);
      const access: string = login.body.accessToken;
      const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('vetlab_refresh='))!.split(';')[0];
      await t.http().get('/api/auth/me').set(bearer(access)).expect(200);
      const socket = await sockets.connect(t, access);
      const ended = nextEvent(socket, 'session:ended');
      const gone = disconnected(socket);

      const res = await patch(vet.id, { active: false }).expect(200);
      expect(res.body.active).toBe(false);

      await expect(ended).resolves.toEqual({ reason: 'deactivated' });
      await expect(gone).resolves.toBe('io server disconnect');
      await t.http().get('/api/auth/me').set(bearer(access)).expect(401);
      await t.http().post('/api/auth/refresh').set('Cookie', cookie).expect(401);
      await t.http().post('/api/auth/login').send({ email: vet.email, password: PASSWORD }).expect(401);
      const tokens = await t.em().find(RefreshToken, { user: vet.id });
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((row) => row.revokedAt)).toBe(true);
      const again = await sockets.open(t, { auth: { token: access } });
      expect(again.error?.message).toBe('unauthorized');

      // Reactivated, the user signs in again (the old sessions stay dead).
      await patch(vet.id, { active: true }).expect(200);
      await t.http().post('/api/auth/login').send({ email: vet.email, password: PASSWORD }).expect(200);
      await t.http().post('/api/auth/refresh').set('Cookie', cookie).expect(401);
    });
  });
});
