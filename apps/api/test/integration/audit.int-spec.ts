import { AuditAction, AuditEntryView, ErrorCode, FieldErrorCode, Page, ProtocolDetail } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { BulkRun } from '../../src/bulk/bulk-run.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

/** The entries this spec writes sit a minute apart in 2025, away from the ones intake writes now. */
const T0 = Date.parse('2025-01-01T10:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * 60_000);
const iso = (minute: number) => at(minute).toISOString();

describe('audit trail (GET /api/audit)', () => {
  let t: TestApp;
  let f: Fixtures;
  let tokens: Record<'admin' | 'staff' | 'vet', string>;
  let protocol: ProtocolDetail;
  let bulk: BulkRun;
  /** The entries by their minute (1…9). */
  const e: Record<number, AuditLog> = {};

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    tokens = { admin: await tokenFor(t, f.admin), staff: await tokenFor(t, f.staff), vet: await tokenFor(t, f.vetA) };
    protocol = await submitProtocol(t, tokens.vet, protocolBody(f));
    const em = t.em();
    bulk = em.create(BulkRun, { number: 417, action: 'receive', target: 'received', total: 1, jobId: '00000000-0000-4000-8000-000000000417' });
    const entry = (minute: number, actorId: string | null, entity: string, entityId: string, action: AuditAction, before: object | null, after: object | null) =>
      (e[minute] = em.create(AuditLog, { at: at(minute), actorId, entity, entityId, action, before: before && { ...before }, after: after && { ...after } }));
    entry(1, f.staff.id, 'protocol', protocol.id, AuditAction.StatusChange, { status: 'submitted' }, { status: 'received' });
    entry(2, f.staff.id, 'work_order', protocol.workOrderId, AuditAction.WorkOrderEdit, { notes: null }, { notes: 'hemólisis' });
    entry(3, f.signer.id, 'report', protocol.reportId, AuditAction.StatusChange, { versionNumber: 1, status: 'draft' }, { versionNumber: 1, status: 'finalizing' });
    entry(4, f.signer.id, 'report', protocol.reportId, AuditAction.Amend, { versionNumber: 1, status: 'finalized' }, { versionNumber: 2, status: 'draft', reason: 'GLU mal transcrita' });
    entry(5, f.admin.id, 'user', f.staff.id, AuditAction.UserUpdate, { signer: false }, { signer: true });
    entry(6, f.admin.id, 'clinic', f.clinicA.id, AuditAction.ClinicUpdate, { phone: null }, { phone: '+54 11 4000-0000' });
    entry(7, f.admin.id, 'job', '00000000-0000-4000-8000-000000000007', AuditAction.JobRetry, { kind: 'send_email' }, null);
    entry(8, f.admin.id, 'bulk_run', bulk.id, AuditAction.StatusChange, { state: 'failed' }, { state: 'queued' });
    entry(9, null, 'protocol', protocol.id, AuditAction.StatusChange, { status: 'received' }, { status: 'in_analysis' });
    await em.flush();
  });
  afterAll(() => t?.close());

  const get = (who: keyof typeof tokens, query: Record<string, string | number>) => t.http().get('/api/audit').query(query).set(bearer(tokens[who]));
  const list = async (who: keyof typeof tokens, query: Record<string, string | number>) => {
    const res = await get(who, query);
    if (res.status !== 200) throw new Error(`GET /api/audit ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Page<AuditEntryView>;
  };
  /** The minutes of a page's entries, in the order given (only this spec's entries have one). */
  const minutes = (page: Page<AuditEntryView>) => page.items.map((i) => Object.entries(e).find(([, x]) => x.id === i.id)?.[0]).map(Number);
  /** Within this spec's own minutes. */
  const window = { from: iso(0), to: iso(60) };

  it('each filter alone: who, kind of record, record, action, time range', async () => {
    expect(minutes(await list('admin', { actorId: f.signer.id }))).toEqual([4, 3]);
    expect(minutes(await list('admin', { action: AuditAction.Amend }))).toEqual([4]);
    expect(minutes(await list('admin', { entityId: protocol.reportId }))).toEqual([4, 3]);
    // The protocol's own intake entry (written now) comes first: newest first.
    const byKind = await list('admin', { entity: 'protocol' });
    expect(byKind.items[0]).toMatchObject({ entity: 'protocol', entityId: protocol.id, action: AuditAction.Create, actor: { id: f.vetA.id, name: f.vetA.name } });
    expect(minutes({ ...byKind, items: byKind.items.slice(1) })).toEqual([9, 1]);
    // [from, to): the entry at `to` is left out.
    expect(minutes(await list('admin', { from: iso(2), to: iso(5) }))).toEqual([4, 3, 2]);
    expect(minutes(await list('admin', { from: iso(8) })).filter(Boolean).slice(-2)).toEqual([9, 8]);
    expect(minutes(await list('admin', { to: iso(2) }))).toEqual([1]);
  });

  it('filters combined narrow together', async () => {
    expect(minutes(await list('admin', { entity: 'report', action: AuditAction.StatusChange, actorId: f.signer.id }))).toEqual([3]);
    expect(minutes(await list('admin', { entity: 'protocol', entityId: protocol.id, ...window }))).toEqual([9, 1]);
    expect(minutes(await list('admin', { actorId: f.admin.id, action: AuditAction.StatusChange, ...window }))).toEqual([8]);
    expect((await list('admin', { actorId: f.staff.id, entity: 'report' })).total).toBe(0);
  });

  it('pages newest first with the total of every match', async () => {
    const first = await list('admin', { ...window, pageSize: 4 });
    expect([first.total, first.page, first.pageSize]).toEqual([9, 1, 4]);
    expect(minutes(first)).toEqual([9, 8, 7, 6]);
    expect(minutes(await list('admin', { ...window, pageSize: 4, page: 2 }))).toEqual([5, 4, 3, 2]);
    const last = await list('admin', { ...window, pageSize: 4, page: 3 });
    expect([last.total, minutes(last)]).toEqual([9, [1]]);
    expect((await list('admin', { ...window, pageSize: 4, page: 4 })).items).toEqual([]);
  });

  it('names every record and actor: protocol codes (a report with its version), people, clinics, bulk runs', async () => {
    const page = await list('admin', window);
    const byMinute = (m: number) => page.items.find((i) => i.id === e[m].id)!;
    expect(byMinute(1)).toMatchObject({ label: protocol.code, protocolId: protocol.id, actor: { id: f.staff.id, name: f.staff.name } });
    expect(byMinute(2)).toMatchObject({ label: protocol.code, protocolId: protocol.id, entity: 'work_order' });
    expect(byMinute(3)).toMatchObject({ label: `${protocol.code} v1`, protocolId: protocol.id });
    expect(byMinute(4)).toMatchObject({ label: `${protocol.code} v2`, protocolId: protocol.id, after: { reason: 'GLU mal transcrita' } });
    expect(byMinute(5)).toMatchObject({ label: f.staff.name, protocolId: null });
    expect(byMinute(6)).toMatchObject({ label: f.clinicA.name, protocolId: null });
    expect(byMinute(7)).toMatchObject({ label: null, protocolId: null });
    expect(byMinute(8)).toMatchObject({ label: '#417', protocolId: null });
    expect(byMinute(9)).toMatchObject({ actor: null, label: protocol.code });
  });

  it('names the records an entry points to: a protocol’s clinic, vet and panels; a person’s old and new clinic; leaves alone what it cannot name', async () => {
    const [created] = (await list('admin', { entityId: protocol.id, action: AuditAction.Create })).items;
    expect(created.after).toMatchObject({ clinicId: f.clinicA.id, vetId: f.vetA.id, panelIds: [f.panels.cbc.id, f.panels.chem.id] });
    expect(created.names).toEqual({ [f.clinicA.id]: f.clinicA.name, [f.vetA.id]: f.vetA.name, [f.panels.cbc.id]: f.panels.cbc.name, [f.panels.chem.id]: f.panels.chem.name });

    await t.http().patch(`/api/users/${f.vetB.id}`).set(bearer(tokens.admin)).send({ clinicId: f.clinicA.id }).expect(200);
    const [moved] = (await list('admin', { entityId: f.vetB.id, action: AuditAction.UserUpdate })).items;
    expect([moved.before, moved.after, moved.label]).toEqual([{ clinicId: f.clinicB.id }, { clinicId: f.clinicA.id }, f.vetB.name]);
    expect(moved.names).toEqual({ [f.clinicB.id]: f.clinicB.name, [f.clinicA.id]: f.clinicA.name });

    // An id whose record is gone, and something that is no id at all, in such fields: the page still answers.
    const gone = '00000000-0000-4000-8000-00000000dead';
    const em = t.em();
    const odd = em.create(AuditLog, { at: at(-60), actorId: null, entity: 'protocol', entityId: gone, action: AuditAction.Create, before: null, after: { clinicId: 'not-an-id', vetId: gone, panelIds: [gone, 7] } });
    await em.flush();
    const [read] = (await list('admin', { entityId: gone })).items;
    expect([read.id, read.names, read.label]).toEqual([odd.id, {}, null]);
  });

  it('staff read only lab records: another kind is a 403, no filter lists lab records only, a person’s id finds nothing', async () => {
    for (const entity of ['user', 'clinic', 'job', 'bulk_run']) {
      const res = await get('staff', { entity }).expect(403);
      expect(res.body.code).toBe(ErrorCode.Forbidden);
    }
    const all = await list('staff', window);
    expect(minutes(all)).toEqual([9, 4, 3, 2, 1]);
    expect(all.total).toBe(5);
    expect((await list('staff', {})).items.every((i) => ['protocol', 'work_order', 'report'].includes(i.entity))).toBe(true);
    expect((await list('staff', { entityId: f.staff.id })).total).toBe(0);
    expect(minutes(await list('staff', { entity: 'report', entityId: protocol.reportId }))).toEqual([4, 3]);
  });

  it('vets get a 403; without a token a 401', async () => {
    await get('vet', {}).expect(403);
    await t.http().get('/api/audit').expect(401);
  });

  it('400 naming the field: an unknown action or kind, a bad id or date, from not before to', async () => {
    const bad = async (query: Record<string, string>, field: string, code?: FieldErrorCode) => {
      const res = await get('admin', query).expect(400);
      expect(res.body.code).toBe(ErrorCode.ValidationFailed);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(code ? { code } : {}) })]));
    };
    await bad({ action: 'explode' }, 'query.action');
    await bad({ entity: 'patient' }, 'query.entity');
    await bad({ actorId: 'nobody' }, 'query.actorId', FieldErrorCode.InvalidFormat);
    await bad({ from: 'yesterday' }, 'query.from', FieldErrorCode.InvalidFormat);
    await bad({ from: iso(5), to: iso(5) }, 'query.to', FieldErrorCode.InvalidValue);
    await bad({ from: iso(6), to: iso(5) }, 'query.to', FieldErrorCode.InvalidValue);
  });
});
