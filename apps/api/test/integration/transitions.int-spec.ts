import { AuditAction, ProtocolDetail } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { nextEvent, record, SocketPool } from '../support/socket';
import { createTestApp, TestApp } from '../support/test-app';

describe('protocol status transitions', () => {
  let t: TestApp;
  let f: Fixtures;
  let vetA: string;
  let staff: string;
  let admin: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    [vetA, staff, admin] = await Promise.all([tokenFor(t, f.vetA), tokenFor(t, f.staff), tokenFor(t, f.admin)]);
  });
  const sockets = new SocketPool();
  afterAll(async () => {
    sockets.closeAll();
    await t?.close();
  });

  const fresh = () => submitProtocol(t, vetA, protocolBody(f));
  const post = (token: string, id: string, action: string, body?: object) => {
    const req = t.http().post(`/api/protocols/${id}/${action}`).set(bearer(token));
    return body === undefined ? req : req.send(body);
  };

  it('receive then start analysis, recording who received it, the new version and audit entries', async () => {
    const p = await fresh();
    const received = await post(staff, p.id, 'receive').expect(200);
    expect(received.body as ProtocolDetail).toMatchObject({
      status: 'received',
      version: 2,
      receivedBy: { id: f.staff.id, name: f.staff.name },
      availableActions: ['start_analysis', 'reject'],
    });
    expect(Date.parse(received.body.receivedAt)).toBeGreaterThan(Date.now() - 60_000);

    const started = await post(admin, p.id, 'start-analysis', { version: 2 }).expect(200);
    expect(started.body).toMatchObject({ status: 'in_analysis', version: 3, availableActions: [] });

    const audit = await t.em().find(AuditLog, { entity: 'protocol', entityId: p.id, action: AuditAction.StatusChange }, { orderBy: { at: 'asc' } });
    expect(audit.map((a) => [a.actorId, a.before, a.after])).toEqual([
      [f.staff.id, { status: 'submitted' }, { status: 'received' }],
      [f.admin.id, { status: 'received' }, { status: 'in_analysis' }],
    ]);

    // The vet sees the new status but is offered nothing.
    const seen = await t.http().get(`/api/protocols/${p.id}`).set(bearer(vetA)).expect(200);
    expect(seen.body).toMatchObject({ status: 'in_analysis', availableActions: [] });
  });

  it('reject keeps the reason; a rejected protocol goes nowhere', async () => {
    const p = await fresh();
    const res = await post(staff, p.id, 'reject', { reason: '  muestra hemolizada ' }).expect(200);
    expect(res.body).toMatchObject({ status: 'rejected', rejectionReason: 'muestra hemolizada', availableActions: [] });
    const audit = await t.em().findOneOrFail(AuditLog, { entityId: p.id, action: AuditAction.StatusChange });
    expect(audit.after).toEqual({ status: 'rejected', rejectionReason: 'muestra hemolizada' });

    const again = await post(staff, p.id, 'receive').expect(409);
    expect(again.body.message).toBe('cannot go from rejected to received');
  });

  it('409 with the reason when the protocol is already there or the move is not allowed', async () => {
    const p = await fresh();
    const early = await post(staff, p.id, 'start-analysis').expect(409);
    expect(early.body.message).toBe('cannot go from submitted to in_analysis');
    await post(staff, p.id, 'receive').expect(200);
    const twice = await post(staff, p.id, 'receive').expect(409);
    expect(twice.body.message).toBe('protocol is already received');
  });

  it('409 for a stale version, and nothing changes', async () => {
    const p = await fresh();
    await post(staff, p.id, 'receive', { version: 1 }).expect(200);
    const stale = await post(staff, p.id, 'start-analysis', { version: 1 }).expect(409);
    expect(stale.body.message).toMatch(/changed by someone else/);
    const now = await t.http().get(`/api/protocols/${p.id}`).set(bearer(staff)).expect(200);
    expect(now.body).toMatchObject({ status: 'received', version: 2 });
  });

  it('two concurrent receives: one wins, the other gets 409', async () => {
    const p = await fresh();
    const results = await Promise.all([post(staff, p.id, 'receive'), post(admin, p.id, 'receive')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const audit = await t.em().count(AuditLog, { entityId: p.id, action: AuditAction.StatusChange });
    expect(audit).toBe(1);
  });

  it('vets cannot move protocols (403), even their own', async () => {
    const p = await fresh();
    for (const action of ['receive', 'start-analysis', 'reject']) {
      await post(vetA, p.id, action, { reason: 'no quiero' }).expect(403);
    }
  });

  it('400 for bad bodies and ids, 404 for unknown protocols', async () => {
    const p = await fresh();
    const noReason = await post(staff, p.id, 'reject', {}).expect(400);
    expect(noReason.body.details.map((d: { field: string }) => d.field)).toEqual(['body.reason']);
    const extra = await post(staff, p.id, 'receive', { version: 1, force: true }).expect(400);
    expect(extra.body.details[0].field).toBe('body');
    const badVersion = await post(staff, p.id, 'receive', { version: 'one' }).expect(400);
    expect(badVersion.body.details[0].field).toBe('body.version');
    const badId = await post(staff, 'not-a-uuid', 'receive').expect(400);
    expect(badId.body.details[0].field).toBe('param.id');
    const missing = await post(staff, '00000000-0000-4000-8000-000000000000', 'receive').expect(404);
    expect(missing.body.message).toBe('protocol not found');
  });

  it('announces intake and every transition to the lab and to the clinic only, after commit', async () => {
    const [labSocket, vetASocket, vetBSocket] = await Promise.all([
      sockets.connect(t, staff),
      sockets.connect(t, vetA),
      sockets.connect(t, await tokenFor(t, f.vetB)),
    ]);
    const strangers = record(vetBSocket, 'protocol:updated');
    const [labCreated, vetCreated, p] = await Promise.all([nextEvent(labSocket, 'protocol:updated'), nextEvent(vetASocket, 'protocol:updated'), fresh()]);
    expect(labCreated).toEqual({ protocolId: p.id, status: 'submitted', version: 1 });
    expect(vetCreated).toEqual(labCreated);

    const [labReceived] = await Promise.all([nextEvent(labSocket, 'protocol:updated'), post(staff, p.id, 'receive').expect(200)]);
    expect(labReceived).toEqual({ protocolId: p.id, status: 'received', version: 2 });
    // The event is the fast path; what a listener refetches must already be there.
    const refetched = await t.http().get(`/api/protocols/${p.id}`).set(bearer(vetA)).expect(200);
    expect(refetched.body.version).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    expect(strangers).toEqual([]);
  });
});
