import { AuditAction, ErrorCode, Page, ReportLanguage, UserView } from '@vetlab/shared';
import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Clinic } from '../../src/clinics/clinic.entity';
import { PasswordLink } from '../../src/passwords/password-link.entity';
import { PasswordLinksRepository } from '../../src/passwords/password-links.repository';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { startSmtp, TestSmtp } from '../support/smtp';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

const PUBLIC_URL = 'http://people.vetlab.test';
const NEW_PASSWORD = 'a-long-and-unusual-phrase';

describe('people and their passwords', () => {
  let t: TestApp;
  let f: Fixtures;
  let smtp: TestSmtp;
  let admin: string;

  beforeAll(async () => {
    smtp = await startSmtp();
    // LOGIN_RATE_LIMIT 10: an address gets 50 attempts a window at the login and at the password links.
    t = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL, JOB_BACKOFF_MS: '50', MAIL_RETRY_MIN_MS: '50', LOGIN_RATE_LIMIT: '10' });
    f = await seedFixtures(t.em());
    admin = await tokenFor(t, f.admin);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const http = () => t.http();
  const create = (body: object, token = admin) => http().post('/api/users').set(bearer(token)).send(body);
  const patch = (id: string, body: object, token = admin) => http().patch(`/api/users/${id}`).set(bearer(token)).send(body);
  const sendLink = (id: string, token = admin) => http().post(`/api/users/${id}/password-link`).set(bearer(token)).send();
  const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@people.test`;
  const auditOf = (id: string) => t.em().find(AuditLog, { entity: 'user', entityId: id }, { orderBy: { at: 'asc', id: 'asc' } });

  /** The n-th mail (1-based) to an address, through the real SMTP server. */
  const mailTo = (address: string, n = 1): Promise<ParsedMail> =>
    waitUntil(() => smtp.to(address)[n - 1], { what: `mail ${n} to ${address}`, ms: 20_000 });
  /** The token in the link of a mail. */
  function tokenIn(mail: ParsedMail): string {
    const m = String(mail.text).match(/http:\/\/people\.vetlab\.test\/password\/([A-Za-z0-9_-]+)/);
    if (!m) throw new Error(`no link in mail: ${mail.text}`);
    return m[1];
  }
  const fields = (body: { details?: { field: string; code: string }[] }) => (body.details ?? []).map((d) => [d.field, d.code]);

  describe('POST /api/users', () => {
    it('creates each role, mails a set-password link, and audits it once without the token', async () => {
      const people = [
        { email: email('admin'), name: 'Nueva Admin', role: 'admin' },
        { email: email('tech'), name: 'Nuevo Técnico', role: 'staff', signer: true },
        { email: email('vet').toUpperCase(), name: 'Nueva Vet', role: 'vet', clinicId: f.clinicA.id },
      ];
      for (const body of people) {
        const res = await create(body).expect(201);
        const view = res.body as UserView;
        expect(view).toMatchObject({ email: body.email.toLowerCase(), name: body.name, role: body.role, active: true, signer: body.role === 'staff', hasSignature: false });
        expect(view.clinic).toEqual(body.role === 'vet' ? { id: f.clinicA.id, name: f.clinicA.name } : null);
        const mail = await mailTo(view.email);
        const token = tokenIn(mail);
        const audit = await auditOf(view.id);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({ actorId: f.admin.id, action: AuditAction.UserCreate, after: expect.objectContaining({ email: view.email, role: body.role, passwordLinkExpiresAt: expect.any(String) }) });
        expect(JSON.stringify(audit)).not.toContain(token);
        const links = await t.em().find(PasswordLink, { user: view.id });
        expect(links).toHaveLength(1);
        expect(links[0].tokenHash).not.toContain(token);
        const info = await http().get('/api/auth/password-link').query({ token }).expect(200);
        expect(info.body).toEqual({ email: view.email, name: body.name, expiresAt: links[0].expiresAt.toISOString() });
      }
    });

    it('writes the link mail in the person’s language: a vet’s clinic’s, Spanish for the lab', async () => {
      const em = t.em();
      const clinic = em.create(Clinic, { name: `English ${randomUUID().slice(0, 6)}`, resultEmails: [], reportLanguage: ReportLanguage.En });
      await em.flush();
      const vet = (await create({ email: email('envet'), name: 'English Vet', role: 'vet', clinicId: clinic.id }).expect(201)).body as UserView;
      expect((await mailTo(vet.email)).subject).toBe('Set your vetlab password');
      const tech = (await create({ email: email('estech'), name: 'Técnica', role: 'staff' }).expect(201)).body as UserView;
      expect((await mailTo(tech.email)).subject).toBe('Establezca su contraseña de vetlab');
    });

    it('names the field of every invalid body', async () => {
      expect(fields((await create({ email: email('v'), name: 'V', role: 'vet' }).expect(400)).body)).toEqual([['body.clinicId', 'required']]);
      expect(fields((await create({ email: email('s'), name: 'S', role: 'staff', clinicId: f.clinicA.id }).expect(400)).body)).toEqual([['body.clinicId', 'not_allowed']]);
      expect(fields((await create({ email: email('v'), name: 'V', role: 'vet', clinicId: f.clinicA.id, signer: true }).expect(400)).body)).toEqual([['body.signer', 'not_allowed']]);
      expect(fields((await create({ email: 'not-an-email', name: ' ', role: 'boss' }).expect(400)).body).map(([field]) => field).sort()).toEqual(['body.email', 'body.name', 'body.role']);
      expect(fields((await create({ email: email('v'), name: 'V', role: 'vet', clinicId: randomUUID() }).expect(400)).body)).toEqual([['body.clinicId', 'unknown_reference']]);
      expect(fields((await create({ email: f.vetA.email.toUpperCase(), name: 'Dup', role: 'staff' }).expect(400)).body)).toEqual([['body.email', 'taken']]);
      expect((await create({ email: email('x'), name: 'X', role: 'staff', password: 'x' }).expect(400)).body.message).toMatch(/unknown field/);
    });
  });

  describe('GET /api/users', () => {
    it('filters by activity and by a part of the name or e-mail, and pages', async () => {
      const tag = `zq${randomUUID().slice(0, 6)}`;
      const a = (await create({ email: `${tag}-one@people.test`, name: `Alba ${tag}`, role: 'staff' }).expect(201)).body as UserView;
      const b = (await create({ email: email('two'), name: `Berta ${tag.toUpperCase()}`, role: 'staff' }).expect(201)).body as UserView;
      await patch(b.id, { active: false }).expect(200);
      const list = async (query: object) => (await http().get('/api/users').query(query).set(bearer(admin)).expect(200)).body as Page<UserView>;
      expect((await list({ q: tag })).items.map((u) => u.id)).toEqual([a.id, b.id]);
      expect((await list({ q: `${tag}-ONE` })).items.map((u) => u.id)).toEqual([a.id]);
      expect((await list({ q: tag, active: 'false' })).items.map((u) => u.id)).toEqual([b.id]);
      expect((await list({ q: tag, active: 'true', role: 'staff' })).items.map((u) => u.id)).toEqual([a.id]);
      expect((await list({ q: '%' })).items).toEqual([]);
      const p2 = await list({ q: tag, page: 2, pageSize: 1 });
      expect(p2).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(p2.items.map((u) => u.id)).toEqual([b.id]);
      expect(fields((await http().get('/api/users').query({ active: 'maybe' }).set(bearer(admin)).expect(400)).body)).toEqual([['query.active', expect.any(String)]]);
    });

    it('reads one person; an unknown id is 404 on every route', async () => {
      expect((await http().get(`/api/users/${f.vetA.id}`).set(bearer(admin)).expect(200)).body).toMatchObject({ id: f.vetA.id, clinic: { id: f.clinicA.id } });
      const id = randomUUID();
      await http().get(`/api/users/${id}`).set(bearer(admin)).expect(404);
      await patch(id, { name: 'X' }).expect(404);
      await sendLink(id).expect(404);
    });
  });

  it.each(['staff', 'vet'] as const)('every admin route is 403 for %s', async (role) => {
    const token = await tokenFor(t, role === 'staff' ? f.signer : f.vetA);
    await http().get('/api/users').set(bearer(token)).expect(403);
    await http().get(`/api/users/${f.vetB.id}`).set(bearer(token)).expect(403);
    await create({ email: email('x'), name: 'X', role: 'staff' }, token).expect(403);
    await patch(f.vetB.id, { name: 'Hacked' }, token).expect(403);
    await sendLink(f.vetB.id, token).expect(403);
    expect(await t.em().count(AuditLog, { actorId: role === 'staff' ? f.signer.id : f.vetA.id })).toBe(0);
  });

  describe('PATCH /api/users/:id', () => {
    it('moves a vet to another clinic, audited before → after; clinics only for vets, and known ones', async () => {
      const vet = (await create({ email: email('mv'), name: 'Vet Movida', role: 'vet', clinicId: f.clinicA.id }).expect(201)).body as UserView;
      const res = await patch(vet.id, { clinicId: f.clinicB.id, name: 'Vet Movida II' }).expect(200);
      expect(res.body).toMatchObject({ clinic: { id: f.clinicB.id, name: f.clinicB.name }, name: 'Vet Movida II' });
      const audit = await auditOf(vet.id);
      expect(audit.map((a) => a.action)).toEqual([AuditAction.UserCreate, AuditAction.UserUpdate]);
      expect(audit[1]).toMatchObject({ before: { clinicId: f.clinicA.id, name: 'Vet Movida' }, after: { clinicId: f.clinicB.id, name: 'Vet Movida II' } });
      expect(fields((await patch(vet.id, { clinicId: randomUUID() }).expect(400)).body)).toEqual([['body.clinicId', 'unknown_reference']]);
      expect(fields((await patch(f.staff.id, { clinicId: f.clinicA.id }).expect(400)).body)).toEqual([['body.clinicId', 'not_allowed']]);
      expect(await t.em().count(AuditLog, { entity: 'user', entityId: { $in: [vet.id, f.staff.id] }, action: AuditAction.UserUpdate })).toBe(1);
    });

    it('refuses changing one’s own activity (either way) or signer flag', async () => {
      expect(fields((await patch(f.admin.id, { active: false }).expect(400)).body)).toEqual([['body.active', 'not_allowed']]);
      expect(fields((await patch(f.admin.id, { active: true }).expect(400)).body)).toEqual([['body.active', 'not_allowed']]);
      expect(fields((await patch(f.admin.id, { signer: true }).expect(400)).body)).toEqual([['body.signer', 'not_allowed']]);
      expect(await t.em().count(AuditLog, { entity: 'user', entityId: f.admin.id })).toBe(0);
    });

    it('deactivation ends the person’s sessions at once; reactivated, they sign in again', async () => {
      const tech = await userWithPassword('staff');
      const login = await http().post('/api/auth/login').send({ email: tech.email, password: PASSWORD }).expect(200);
      const cookie = refreshCookie(login);
      await patch(tech.id, { active: false }).expect(200);
      await http().get('/api/auth/me').set(bearer(login.body.accessToken)).expect(401);
      await http().post('/api/auth/refresh').set('Cookie', cookie).expect(401);
      await patch(tech.id, { active: true }).expect(200);
      await http().post('/api/auth/login').send({ email: tech.email, password: PASSWORD }).expect(200);
      expect((await auditOf(tech.id)).map((a) => [a.action, a.after])).toEqual([
        [AuditAction.UserUpdate, { active: false }],
        [AuditAction.UserUpdate, { active: true }],
      ]);
    });
  });

  describe('one-time password links', () => {
    it('sets the password through the mailed link once; a second use is 410; the person signs in', async () => {
      const vet = (await create({ email: email('link'), name: 'Vet Enlace', role: 'vet', clinicId: f.clinicB.id }).expect(201)).body as UserView;
      const token = tokenIn(await mailTo(vet.email));
      const common = await http().post('/api/auth/password').send({ token, password: 'Password123' }).expect(400);
      expect(fields(common.body)).toEqual([['body.password', 'too_common']]);
      expect(fields((await http().post('/api/auth/password').send({ token, password: 'short' }).expect(400)).body)).toEqual([['body.password', 'too_small']]);
      await http().post('/api/auth/password').send({ token, password: NEW_PASSWORD }).expect(204);
      const again = await http().post('/api/auth/password').send({ token, password: `${NEW_PASSWORD}!` }).expect(410);
      expect(again.body.code).toBe(ErrorCode.PasswordLinkInvalid);
      expect((await http().get('/api/auth/password-link').query({ token }).expect(410)).body.code).toBe(ErrorCode.PasswordLinkInvalid);
      await http().post('/api/auth/login').send({ email: vet.email, password: NEW_PASSWORD }).expect(200);
      await http().post('/api/auth/login').send({ email: vet.email, password: `${NEW_PASSWORD}!` }).expect(401);
      const audit = await auditOf(vet.id);
      expect(audit.map((a) => [a.action, a.actorId])).toEqual([
        [AuditAction.UserCreate, f.admin.id],
        [AuditAction.PasswordSet, vet.id],
      ]);
      expect(JSON.stringify(audit)).not.toContain(token);
    });

    it('of two requests racing with one link exactly one sets the password', async () => {
      const tech = await userWithPassword('staff');
      expect((await sendLink(tech.id).expect(202)).body).toEqual({ expiresAt: expect.stringMatching(/^\d{4}-/) });
      const token = tokenIn(await mailTo(tech.email));
      const results = await Promise.all(['first-racing-phrase', 'second-racing-phrase'].map((password) => http().post('/api/auth/password').send({ token, password })));
      expect(results.map((r) => r.status).sort()).toEqual([204, 410]);
      expect((await auditOf(tech.id)).map((a) => a.action)).toEqual([AuditAction.PasswordLinkSent, AuditAction.PasswordSet]);
    });

    it('a new link voids the earlier one; setting a password ends every session', async () => {
      const tech = await userWithPassword('staff');
      const login = await http().post('/api/auth/login').send({ email: tech.email, password: PASSWORD }).expect(200);
      await sendLink(tech.id).expect(202);
      const first = tokenIn(await mailTo(tech.email, 1));
      await sendLink(tech.id).expect(202);
      const second = tokenIn(await mailTo(tech.email, 2));
      expect(second).not.toBe(first);
      await http().get('/api/auth/password-link').query({ token: first }).expect(410);
      await http().post('/api/auth/password').send({ token: second, password: NEW_PASSWORD }).expect(204);
      await http().post('/api/auth/refresh').set('Cookie', refreshCookie(login)).expect(401);
    });

    it('an expired link is 410 (its expiry moved into the past in the database)', async () => {
      const tech = await userWithPassword('staff');
      await sendLink(tech.id).expect(202);
      const token = tokenIn(await mailTo(tech.email));
      const [link] = await t.em().find(PasswordLink, { user: tech.id });
      await t.app.get(PasswordLinksRepository).setExpiresAt(t.em(), link.id, new Date(Date.now() - 1000));
      await http().get('/api/auth/password-link').query({ token }).expect(410);
      await http().post('/api/auth/password').send({ token, password: NEW_PASSWORD }).expect(410);
      await http().post('/api/auth/login').send({ email: tech.email, password: PASSWORD }).expect(200);
    });

    it('an inactive person’s link, and an unknown token, are 410', async () => {
      const tech = await userWithPassword('staff');
      await sendLink(tech.id).expect(202);
      const token = tokenIn(await mailTo(tech.email));
      await patch(tech.id, { active: false }).expect(200);
      await http().get('/api/auth/password-link').query({ token }).expect(410);
      await http().post('/api/auth/password').send({ token, password: NEW_PASSWORD }).expect(410);
      await http().get('/api/auth/password-link').query({ token: 'x'.repeat(43) }).expect(410);
      expect(fields((await http().get('/api/auth/password-link').query({ token: 'short' }).expect(400)).body)).toEqual([['query.token', 'too_small']]);
    });
  });

  it('the public link routes are limited per address like the login (429 with Retry-After)', async () => {
    const from = { 'X-Forwarded-For': '10.66.0.1' };
    const tries = await Promise.all(Array.from({ length: 50 }, () => http().get('/api/auth/password-link').set(from).query({ token: 'y'.repeat(43) })));
    expect(tries.every((r) => r.status === 410)).toBe(true);
    const over = await http().post('/api/auth/password').set(from).send({ token: 'y'.repeat(43), password: NEW_PASSWORD }).expect(429);
    expect(over.body.code).toBe(ErrorCode.RateLimited);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    await http().get('/api/auth/password-link').set({ 'X-Forwarded-For': '10.66.0.2' }).query({ token: 'y'.repeat(43) }).expect(410);
  });

  describe('PUT /api/auth/me/password', () => {
    it('changes one’s own password given the current one, ending the other sessions only', async () => {
      const vet = await userWithPassword('vet');
      const here = await http().post('/api/auth/login').send({ email: vet.email, password: PASSWORD }).expect(200);
      const elsewhere = await http().post('/api/auth/login').send({ email: vet.email, password: PASSWORD }).expect(200);
      const put = (body: object) => http().put('/api/auth/me/password').set(bearer(here.body.accessToken)).set('Cookie', refreshCookie(here)).send(body);
      expect(fields((await put({ currentPassword: 'wrong-password', newPassword: NEW_PASSWORD }).expect(400)).body)).toEqual([['body.currentPassword', 'incorrect']]);
      expect(fields((await put({ currentPassword: PASSWORD, newPassword: 'qwerty12345' }).expect(400)).body)).toEqual([['body.newPassword', 'too_common']]);
      expect(fields((await put({ currentPassword: PASSWORD, newPassword: PASSWORD }).expect(400)).body)).toEqual([['body.newPassword', 'not_allowed']]);
      await put({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(204);
      await http().post('/api/auth/refresh').set('Cookie', refreshCookie(elsewhere)).expect(401);
      await http().post('/api/auth/refresh').set('Cookie', refreshCookie(here)).expect(200);
      await http().post('/api/auth/login').send({ email: vet.email, password: NEW_PASSWORD }).expect(200);
      const audit = await auditOf(vet.id);
      expect(audit.map((a) => [a.action, a.actorId])).toEqual([[AuditAction.PasswordChange, vet.id]]);
      expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD);
      await http().put('/api/auth/me/password').send({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
    });
  });

  // Last: it leaves only one active admin.
  it('the last active admin can never be deactivated, even when two admins deactivate each other at once', async () => {
    const [x, y] = [await userWithPassword('admin'), await userWithPassword('admin')];
    await t.em().nativeUpdate(User, { role: 'admin', id: { $nin: [x.id, y.id] } }, { active: false });
    const [tx, ty] = [await tokenFor(t, x), await tokenFor(t, y)];
    const results = await Promise.all([patch(y.id, { active: false }, tx), patch(x.id, { active: false }, ty)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, expect.any(Number)]);
    const loser = results.find((r) => r.status !== 200)!;
    // Refused by the rule, or (if its own account was already off when it arrived) not signed in at all.
    expect([400, 401]).toContain(loser.status);
    if (loser.status === 400) expect(fields(loser.body)).toEqual([['body.active', 'not_allowed']]);
    expect(await t.em().count(User, { role: 'admin', active: true })).toBe(1);
    const survivor = (await t.em().findOneOrFail(User, { role: 'admin', active: true })).id;
    const other = survivor === x.id ? y.id : x.id;
    // The survivor cannot deactivate themselves, and the other admin's deactivation holds.
    await patch(survivor, { active: false }, survivor === x.id ? tx : ty).expect(400);
    expect(await t.em().count(AuditLog, { entity: 'user', entityId: { $in: [x.id, y.id] }, action: AuditAction.UserUpdate })).toBe(1);
    expect((await t.em().findOneOrFail(User, other)).active).toBe(false);
  });

  /** A person with the fixtures' password (made directly: login has its own tests). */
  async function userWithPassword(role: 'vet' | 'staff' | 'admin'): Promise<User> {
    const em = t.em();
    const { passwordHash } = await em.findOneOrFail(User, f.staff.id, { populate: ['passwordHash'] });
    const user = em.create(User, { email: email(role), name: `Temp ${role}`, role, passwordHash, clinic: role === 'vet' ? f.clinicA : null });
    await em.flush();
    return user;
  }
});

function refreshCookie(res: { headers: Record<string, unknown> }): string {
  const cookies = res.headers['set-cookie'] as string[];
  return cookies.find((c) => c.startsWith('vetlab_refresh='))!.split(';')[0];
}
