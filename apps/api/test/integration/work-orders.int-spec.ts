import { AuditAction, Section, WorkOrderView } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

describe('work orders', () => {
  let t: TestApp;
  let f: Fixtures;
  let vetA: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    [vetA, staff] = await Promise.all([tokenFor(t, f.vetA), tokenFor(t, f.staff)]);
  });
  afterAll(() => t?.close());

  const fresh = () => submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.chem.id, f.panels.urine.id], priority: 'urgent' }));

  it('is readable by id and through its protocol, by the vet and the lab', async () => {
    const p = await fresh();
    const byId = await t.http().get(`/api/work-orders/${p.workOrderId}`).set(bearer(vetA)).expect(200);
    const wo = byId.body as WorkOrderView;
    expect(wo).toMatchObject({ id: p.workOrderId, protocolId: p.id, protocolCode: p.code, priority: 'urgent', instructions: null, contentVersion: 1 });
    expect(wo.sections).toEqual([
      { section: Section.Biochemistry, sampleType: 'serum', requirement: expect.any(String), analytes: [{ code: 'GLU', name: 'Glucosa' }, { code: 'ALT', name: 'Alanina aminotransferasa' }] },
      { section: Section.Urinalysis, sampleType: 'urine', requirement: expect.any(String), analytes: [{ code: 'U-PROT', name: 'Proteínas en orina' }] },
    ]);
    const viaProtocol = await t.http().get(`/api/protocols/${p.id}/work-order`).set(bearer(staff)).expect(200);
    expect(viaProtocol.body).toEqual(wo);
  });

  it('an edit applies priority, instructions and requirements, bumps contentVersion and is audited', async () => {
    const p = await fresh();
    const res = await t
      .http()
      .patch(`/api/work-orders/${p.workOrderId}`)
      .set(bearer(staff))
      .send({ contentVersion: 1, priority: 'stat', instructions: 'Llamar al veterinario con el resultado', requirements: [{ section: 'urianalisis', requirement: '10 ml de orina' }] })
      .expect(200);
    const wo = res.body as WorkOrderView;
    expect(wo).toMatchObject({ priority: 'stat', instructions: 'Llamar al veterinario con el resultado', contentVersion: 2 });
    expect(wo.sections[1].requirement).toBe('10 ml de orina');
    expect(wo.sections[0].requirement).not.toBe('10 ml de orina');

    const audit = await t.em().findOneOrFail(AuditLog, { entity: 'work_order', entityId: p.workOrderId });
    expect(audit).toMatchObject({ action: AuditAction.WorkOrderEdit, actorId: f.staff.id });
    expect(audit.before).toMatchObject({ priority: 'urgent', instructions: null, requirements: { urianalisis: expect.any(String) } });
    expect(audit.after).toEqual({ priority: 'stat', instructions: 'Llamar al veterinario con el resultado', requirements: { urianalisis: '10 ml de orina' } });

    // Every save is a new version, even one that only restates the content.
    const same = await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).send({ contentVersion: 2, priority: 'stat' }).expect(200);
    expect(same.body.contentVersion).toBe(3);
    const read = await t.http().get(`/api/work-orders/${p.workOrderId}`).set(bearer(vetA)).expect(200);
    expect(read.body).toMatchObject({ contentVersion: 3, priority: 'stat' });
  });

  it('409 for a stale contentVersion', async () => {
    const p = await fresh();
    await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).send({ contentVersion: 1, instructions: 'a' }).expect(200);
    const stale = await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).send({ contentVersion: 1, instructions: 'b' }).expect(409);
    expect(stale.body.message).toMatch(/work order was changed by someone else/);
    const read = await t.http().get(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).expect(200);
    expect(read.body).toMatchObject({ contentVersion: 2, instructions: 'a' });
  });

  it('400 naming the field for an unknown section or a bad body; 403 for vets; 404 for unknown ids', async () => {
    const p = await fresh();
    const unknownSection = await t
      .http()
      .patch(`/api/work-orders/${p.workOrderId}`)
      .set(bearer(staff))
      .send({ contentVersion: 1, requirements: [{ section: 'bioquimica_serica', requirement: 'x' }, { section: 'hemograma', requirement: 'y' }] })
      .expect(400);
    expect(unknownSection.body.details).toEqual([{ field: 'body.requirements.1.section', message: expect.stringMatching(/no hemograma section/), code: 'unknown_reference' }]);
    const noVersion = await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).send({ priority: 'stat' }).expect(400);
    expect(noVersion.body.details.map((d: { field: string }) => d.field)).toEqual(['body.contentVersion']);
    const badSection = await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).send({ contentVersion: 1, requirements: [{ section: 'cocina', requirement: 'x' }] }).expect(400);
    expect(badSection.body.details[0].field).toBe('body.requirements.0.section');

    await t.http().patch(`/api/work-orders/${p.workOrderId}`).set(bearer(vetA)).send({ contentVersion: 1, priority: 'stat' }).expect(403);
    await t.http().get('/api/work-orders/00000000-0000-4000-8000-000000000000').set(bearer(staff)).expect(404);
    const bad = await t.http().get('/api/work-orders/123').set(bearer(staff)).expect(400);
    expect(bad.body.details[0].field).toBe('param.id');
    // Nothing was saved by the refused edits.
    const read = await t.http().get(`/api/work-orders/${p.workOrderId}`).set(bearer(staff)).expect(200);
    expect(read.body.contentVersion).toBe(1);
  });
});
