import { AuditAction, ClinicView } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { WorkOrder } from '../../src/work-orders/work-order.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { getRaw } from '../support/pdf-http';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';
import { waitUntil } from '../support/wait';

// The first work-order render waits for the render threads' warm-up, slow on a busy machine.
jest.setTimeout(120_000);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

describe('clinics: an admin adds and edits them; a vet sees their own', () => {
  let t: TestApp;
  let f: Fixtures;
  const tok = { admin: '', staff: '', vetA: '', vetB: '' };

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    [tok.admin, tok.staff, tok.vetA, tok.vetB] = await Promise.all([f.admin, f.staff, f.vetA, f.vetB].map((u) => tokenFor(t, u)));
  });
  afterAll(() => t?.close());

  const create = (body: unknown, token = tok.admin) => t.http().post('/api/clinics').set(bearer(token)).send(body as object);
  const patch = (id: string, body: unknown, token = tok.admin) => t.http().patch(`/api/clinics/${id}`).set(bearer(token)).send(body as object);
  const get = (id: string, token = tok.admin) => t.http().get(`/api/clinics/${id}`).set(bearer(token));
  const auditOf = (id: string) => t.em().find(AuditLog, { entity: 'clinic', entityId: id }, { orderBy: { at: 'asc', id: 'asc' } });
  const fields = (res: { body: { details?: { field: string; code: string }[] } }) => res.body.details?.map((d) => [d.field, d.code]);

  it('an admin creates a clinic: 201 with its view, the language Spanish by default, audited', async () => {
    const res = await create({ name: '  Clínica Este ', address: 'Av. Siempreviva 742', phone: '+34 911 22 33 44', resultEmails: ['Lab@Este.test', 'vet@este.test'] }).expect(201);
    const clinic = res.body as ClinicView;
    expect(clinic).toEqual({ id: expect.any(String), name: 'Clínica Este', address: 'Av. Siempreviva 742', phone: '+34 911 22 33 44', resultEmails: ['lab@este.test', 'vet@este.test'], reportLanguage: 'es' });
    expect((await get(clinic.id).expect(200)).body).toEqual(clinic);
    const [entry] = await auditOf(clinic.id);
    expect(entry).toMatchObject({ actorId: f.admin.id, action: AuditAction.ClinicCreate, before: null, after: clinic });
    expect((await t.http().get('/api/clinics').set(bearer(tok.staff)).expect(200)).body.map((c: ClinicView) => c.name)).toEqual(['Clínica Este', 'Clínica Norte', 'Clínica Sur']);
  });

  it('validation names the field and its code: a bad e-mail, no e-mail, a bad phone, a taken name (any case), unknown fields', async () => {
    expect(fields(await create({ name: 'X', resultEmails: ['ok@x.test', 'not-an-address'] }).expect(400))).toEqual([['body.resultEmails.1', 'invalid_format']]);
    expect(fields(await create({ name: 'X', resultEmails: ['nope'] }).expect(400))).toEqual([['body.resultEmails.0', 'invalid_format']]);
    expect(fields(await create({ name: 'X', resultEmails: [] }).expect(400))).toEqual([['body.resultEmails', 'too_small']]);
    expect(fields(await create({ name: 'X', resultEmails: ['a@x.test'], phone: 'call me' }).expect(400))).toEqual([['body.phone', 'invalid_format']]);
    expect(fields(await create({ name: '', resultEmails: ['a@x.test'] }).expect(400))).toEqual([['body.name', 'too_small']]);
    expect(fields(await create({ name: 'X', resultEmails: ['a@x.test'], reportLanguage: 'fr' }).expect(400))).toEqual([['body.reportLanguage', 'invalid_value']]);
    expect(fields(await create({ name: 'X', resultEmails: ['a@x.test'], vip: true }).expect(400))).toEqual([['body', 'unrecognized_keys']]);
    const taken = await create({ name: 'clínica NORTE', resultEmails: ['a@x.test'] }).expect(400);
    expect(taken.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'body.name', code: 'taken' }] });
    expect(fields(await patch(f.clinicB.id, { name: 'Clínica Norte' }).expect(400))).toEqual([['body.name', 'taken']]);
    expect(fields(await patch(f.clinicB.id, { resultEmails: ['bad'] }).expect(400))).toEqual([['body.resultEmails.0', 'invalid_format']]);
    await patch(f.clinicB.id, {}).expect(400);
    expect(await t.em().count(AuditLog, { entity: 'clinic', entityId: f.clinicB.id })).toBe(0);
  });

  it('staff and vets may not write: 403; a vet reads only their own clinic, another is 404 like an unknown one', async () => {
    for (const token of [tok.staff, tok.vetA]) {
      await create({ name: 'Clínica Oeste', resultEmails: ['a@oeste.test'] }, token).expect(403);
      await patch(f.clinicA.id, { phone: '1' }, token).expect(403);
    }
    expect((await get(f.clinicA.id, tok.vetA).expect(200)).body).toMatchObject({ id: f.clinicA.id, name: 'Clínica Norte' });
    expect((await get(f.clinicB.id, tok.vetA).expect(404)).body).toMatchObject({ code: 'NOT_FOUND' });
    await get(UNKNOWN, tok.vetA).expect(404);
    await get(UNKNOWN).expect(404);
    await patch(UNKNOWN, { phone: '1' }).expect(404);
    expect(fields(await get('nope').expect(400))).toEqual([['param.id', 'invalid_format']]);
    expect((await get(f.clinicA.id, tok.staff).expect(200)).body.id).toBe(f.clinicA.id);
  });

  it('an edit writes and audits only what changed (before → after); an edit that changes nothing records nothing', async () => {
    const clinic = (await create({ name: 'Clínica Centro', resultEmails: ['a@centro.test'] }).expect(201)).body as ClinicView;
    const res = await patch(clinic.id, { name: 'Clínica Centro', address: 'Calle Mayor 1', resultEmails: ['a@centro.test', 'b@centro.test'] }).expect(200);
    expect(res.body).toEqual({ ...clinic, address: 'Calle Mayor 1', resultEmails: ['a@centro.test', 'b@centro.test'] });
    await patch(clinic.id, { name: 'Clínica Centro', resultEmails: ['a@centro.test', 'b@centro.test'] }).expect(200);
    // An empty address is no address.
    expect((await patch(clinic.id, { address: '' }).expect(200)).body.address).toBeNull();
    const entries = await auditOf(clinic.id);
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      [AuditAction.ClinicCreate, null, expect.any(Object)],
      [AuditAction.ClinicUpdate, { address: null, resultEmails: ['a@centro.test'] }, { address: 'Calle Mayor 1', resultEmails: ['a@centro.test', 'b@centro.test'] }],
      [AuditAction.ClinicUpdate, { address: 'Calle Mayor 1' }, { address: null }],
    ]);
  });

  it("a new report language renders the clinic's work-order PDFs anew on the next open: never the old language", async () => {
    const p = await submitProtocol(t, tok.vetB, protocolBody(f, { panelIds: [f.panels.cbc.id] }));
    const openWhenReady = (etagOtherThan?: string) =>
      waitUntil(
        async () => {
          const res = await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, tok.vetB);
          if (res.status !== 200 && res.status !== 202) throw new Error(`unexpected ${res.status}: ${res.body.toString()}`);
          return res.status === 200 && res.headers.etag !== etagOtherThan ? res : null;
        },
        { what: 'the work-order PDF', every: 50, ms: 90_000 },
      );
    const spanish = await openWhenReady();
    expect(pdfText(spanish.body)).toContain('ORDEN DE TRABAJO');
    const before = (await t.em().findOneOrFail(WorkOrder, { id: p.workOrderId })).contentVersion;

    await patch(f.clinicB.id, { reportLanguage: 'en' }).expect(200);
    expect((await t.em().findOneOrFail(WorkOrder, { id: p.workOrderId })).contentVersion).toBe(before + 1);
    // The very next open is not the cached Spanish file: a render (202) or, once done, English.
    const next = await getRaw(t, `/api/work-orders/${p.workOrderId}/pdf`, tok.vetB);
    expect(next.headers.etag).not.toBe(spanish.headers.etag);
    const english = await openWhenReady(spanish.headers.etag);
    const text = pdfText(english.body);
    expect(text).toContain('WORK ORDER');
    expect(text).not.toContain('ORDEN DE TRABAJO');
    const [entry] = (await auditOf(f.clinicB.id)).filter((e) => e.action === AuditAction.ClinicUpdate);
    expect(entry).toMatchObject({ before: { reportLanguage: 'es' }, after: { reportLanguage: 'en' } });
  });
});
