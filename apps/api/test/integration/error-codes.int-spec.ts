import { ConflictCode, ErrorBody, ErrorCode, FieldErrorCode } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

/** Every error answer carries a stable `code` a client words in its own language. */
describe('error codes', () => {
  let t: TestApp;
  let f: Fixtures;
  const tok = { vetA: '', staff: '' };

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT: '2' });
    f = await seedFixtures(t.em());
    [tok.vetA, tok.staff] = await Promise.all([f.vetA, f.staff].map((u) => tokenFor(t, u)));
  });
  afterAll(() => t?.close());

  const fieldCodes = new Set<string>(Object.values(FieldErrorCode));

  it('400: VALIDATION_FAILED, each field with its own code (required, too_small with its limit, invalid_format, unrecognized keys)', async () => {
    const { animal: _gone, ...noAnimal } = protocolBody(f);
    const res = await t
      .http()
      .post('/api/protocols')
      .set(bearer(tok.vetA))
      .send({ ...noAnimal, panelIds: [], owner: { ...noAnimal.owner, email: 'not-an-address' }, surprise: true })
      .expect(400);
    const body = res.body as ErrorBody;
    expect(body.code).toBe(ErrorCode.ValidationFailed);
    for (const d of body.details ?? []) expect([d.field, fieldCodes.has(d.code)]).toEqual([d.field, true]);
    const byField = Object.fromEntries((body.details ?? []).map((d) => [d.field, d]));
    expect(byField['body.animal']).toMatchObject({ code: FieldErrorCode.Required });
    expect(byField['body.panelIds']).toMatchObject({ code: FieldErrorCode.TooSmall, limit: 1 });
    expect(byField['body.owner.email']).toMatchObject({ code: FieldErrorCode.InvalidFormat });
    expect(byField.body).toMatchObject({ code: FieldErrorCode.UnrecognizedKeys });

    // A service's own check of a field: an unknown panel.
    const unknown = await t.http().post('/api/protocols').set(bearer(tok.vetA)).send(protocolBody(f, { panelIds: [randomUUID()] })).expect(400);
    expect(unknown.body).toMatchObject({ code: ErrorCode.ValidationFailed, details: [{ field: 'body.panelIds.0', code: FieldErrorCode.UnknownReference }] });
    // A bad id in the path.
    const badId = await t.http().get('/api/protocols/nope').set(bearer(tok.vetA)).expect(400);
    expect(badId.body).toMatchObject({ code: ErrorCode.ValidationFailed, details: [{ field: 'param.id', code: FieldErrorCode.InvalidFormat }] });
  });

  it('400: MALFORMED_BODY for a body that is not JSON', async () => {
    const res = await t.http().post('/api/protocols').set(bearer(tok.vetA)).set('Content-Type', 'application/json').send('{"animal":').expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: ErrorCode.MalformedBody });
  });

  it('401: UNAUTHENTICATED without a token, INVALID_CREDENTIALS for a wrong password', async () => {
    expect((await t.http().get('/api/protocols').expect(401)).body).toMatchObject({ code: ErrorCode.Unauthenticated });
    expect((await t.http().get('/api/protocols').set(bearer('garbage')).expect(401)).body).toMatchObject({ code: ErrorCode.Unauthenticated });
    const wrong = await t.http().post('/api/auth/login').set('X-Forwarded-For', '10.7.0.1').send({ email: f.staff.email, password: 'wrong' }).expect(401);
    expect(wrong.body).toMatchObject({ code: ErrorCode.InvalidCredentials });
  });

  it('403: FORBIDDEN for a role the route does not admit', async () => {
    expect((await t.http().get('/api/bulk').set(bearer(tok.vetA)).expect(403)).body).toMatchObject({ code: ErrorCode.Forbidden });
  });

  it('404: NOT_FOUND for an unknown id and an unknown route', async () => {
    expect((await t.http().get(`/api/protocols/${randomUUID()}`).set(bearer(tok.vetA)).expect(404)).body).toMatchObject({ code: ErrorCode.NotFound });
    expect((await t.http().get('/api/no-such-thing').set(bearer(tok.vetA)).expect(404)).body).toMatchObject({ code: ErrorCode.NotFound });
  });

  it('409: STALE for an outdated version, the protocol codes for a refused move', async () => {
    const p = await submitProtocol(t, tok.vetA, protocolBody(f));
    const stale = await t.http().post(`/api/protocols/${p.id}/receive`).set(bearer(tok.staff)).send({ version: p.version + 5 }).expect(409);
    expect(stale.body).toMatchObject({ code: ErrorCode.Stale });
    await t.http().post(`/api/protocols/${p.id}/receive`).set(bearer(tok.staff)).send({}).expect(200);
    const again = await t.http().post(`/api/protocols/${p.id}/receive`).set(bearer(tok.staff)).send({}).expect(409);
    expect(again.body).toMatchObject({ code: ConflictCode.ProtocolAlreadyInStatus });
    await t.http().post(`/api/protocols/${p.id}/reject`).set(bearer(tok.staff)).send({ reason: 'muestra hemolizada' }).expect(200);
    const refused = await t.http().post(`/api/protocols/${p.id}/start-analysis`).set(bearer(tok.staff)).send({}).expect(409);
    expect(refused.body).toMatchObject({ code: ConflictCode.ProtocolTransitionNotAllowed });
  });

  it('429: RATE_LIMITED after too many failed logins, with Retry-After', async () => {
    for (let i = 0; i < 2; i++) await t.http().post('/api/auth/login').set('X-Forwarded-For', '10.7.1.1').send({ email: f.vetA.email, password: 'wrong' }).expect(401);
    const res = await t.http().post('/api/auth/login').set('X-Forwarded-For', '10.7.1.2').send({ email: f.vetA.email, password: PASSWORD }).expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, code: ErrorCode.RateLimited });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
