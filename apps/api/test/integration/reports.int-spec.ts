import { AuditAction, ReportVersionStatus, ReportVersionView, ReportView } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { ResultRow } from '../../src/reports/result-row.entity';
import { User } from '../../src/users/user.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

describe('reports and result entry', () => {
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

  const fresh = () => submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.cbc.id, f.panels.chem.id, f.panels.urine.id] }));
  const getReport = async (token: string, reportId: string) =>
    (await t.http().get(`/api/reports/${reportId}`).set(bearer(token)).expect(200)).body as ReportView;
  const put = (token: string, reportId: string, body: object) => t.http().put(`/api/reports/${reportId}/draft`).set(bearer(token)).send(body);
  const rowIds = (v: ReportVersionView) => Object.fromEntries(v.rows.map((r) => [r.code, r.id]));

  it('staff see the draft with rows, analyte info and ranges, newest version first', async () => {
    const p = await fresh();
    const report = await getReport(staff, p.reportId);
    expect(report).toMatchObject({ id: p.reportId, protocolId: p.id, protocolCode: p.code });
    expect(report.versions).toHaveLength(1);
    const [v] = report.versions;
    expect(v).toMatchObject({ number: 1, status: 'draft', lockVersion: 1, complete: false, signer: null, observations: null });
    expect(v.rows.map((r) => r.code)).toEqual(['HCT', 'GLU', 'ALT', 'U-PROT']);
    expect(v.rows[3]).toEqual({
      id: expect.any(String),
      analyteId: f.analytes.prot.id,
      code: 'U-PROT',
      name: 'Proteínas en orina',
      section: 'urianalisis',
      unit: null,
      kind: 'qualitative',
      value: null,
      numericValue: null,
      flag: null,
      range: { low: null, high: null, expected: 'negativo' },
    });
    const viaProtocol = await t.http().get(`/api/protocols/${p.id}/report`).set(bearer(staff)).expect(200);
    expect(viaProtocol.body).toEqual(report);
  });

  it('result entry computes values and flags, bumps lockVersion and audits only changed rows', async () => {
    const p = await fresh();
    const ids = rowIds((await getReport(staff, p.reportId)).versions[0]);
    const first = await put(staff, p.reportId, {
      lockVersion: 1,
      results: [
        { rowId: ids.HCT, value: '30' },
        { rowId: ids.GLU, value: ' 200 ' },
        { rowId: ids.ALT, value: '50,5' },
        { rowId: ids['U-PROT'], value: 'Positivo' },
      ],
    }).expect(200);
    const v1 = first.body as ReportVersionView;
    expect(v1).toMatchObject({ lockVersion: 2, complete: true, status: 'draft' });
    expect(v1.rows.map((r) => [r.code, r.value, r.numericValue, r.flag])).toEqual([
      ['HCT', '30', 30, 'low'],
      ['GLU', '200', 200, 'high'],
      ['ALT', '50,5', 50.5, 'normal'],
      ['U-PROT', 'Positivo', null, 'abnormal'],
    ]);

    const second = await put(staff, p.reportId, {
      lockVersion: 2,
      results: [
        { rowId: ids.HCT, value: '30' },
        { rowId: ids['U-PROT'], value: 'NEGATIVO' },
        { rowId: ids.GLU, value: null },
      ],
    }).expect(200);
    expect(second.body).toMatchObject({ lockVersion: 3, complete: false });
    expect(second.body.rows.map((r: { flag: string | null }) => r.flag)).toEqual(['low', null, 'normal', 'normal']);

    // Rows and observations only; still a new lock version.
    const third = await put(staff, p.reportId, { lockVersion: 3, observations: 'Muestra levemente lipémica' }).expect(200);
    expect(third.body).toMatchObject({ lockVersion: 4, observations: 'Muestra levemente lipémica' });

    const stored = await t.em().find(ResultRow, { version: { report: p.reportId } }, { populate: ['analyte'], orderBy: { position: 'asc' } });
    expect(stored.map((r) => [r.analyte.code, r.value, r.flag])).toEqual([
      ['HCT', '30', 'low'],
      ['GLU', null, null],
      ['ALT', '50,5', 'normal'],
      ['U-PROT', 'NEGATIVO', 'normal'],
    ]);

    const audit = await t.em().find(AuditLog, { entity: 'report', entityId: p.reportId, action: AuditAction.ResultEdit }, { orderBy: { at: 'asc' } });
    expect(audit).toHaveLength(3);
    expect(audit[0].actorId).toBe(f.staff.id);
    expect(audit[1].before).toEqual({
      versionNumber: 1,
      // In request order; HCT was sent unchanged and is left out.
      rows: [
        { rowId: ids['U-PROT'], code: 'U-PROT', value: 'Positivo', flag: 'abnormal' },
        { rowId: ids.GLU, code: 'GLU', value: '200', flag: 'high' },
      ],
    });
    expect(audit[1].after).toEqual({
      versionNumber: 1,
      rows: [
        { rowId: ids['U-PROT'], code: 'U-PROT', value: 'NEGATIVO', flag: 'normal' },
        { rowId: ids.GLU, code: 'GLU', value: null, flag: null },
      ],
    });
    expect(audit[2].after).toEqual({ versionNumber: 1, observations: 'Muestra levemente lipémica' });
  });

  it('409 for a stale lockVersion; 400 naming the entry for foreign rows or non-numbers; nothing saved', async () => {
    const p = await fresh();
    const other = await fresh();
    const ids = rowIds((await getReport(staff, p.reportId)).versions[0]);
    const foreign = rowIds((await getReport(staff, other.reportId)).versions[0]);

    const stale = await put(staff, p.reportId, { lockVersion: 7, results: [{ rowId: ids.HCT, value: '40' }] }).expect(409);
    expect(stale.body.message).toMatch(/changed by someone else/);

    const bad = await put(staff, p.reportId, {
      lockVersion: 1,
      results: [
        { rowId: ids.GLU, value: '90' },
        { rowId: foreign.HCT, value: '40' },
        { rowId: ids.HCT, value: 'mucho' },
      ],
    }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['body.results.1.rowId', 'body.results.2.value']);
    const schema = await put(staff, p.reportId, { lockVersion: 1, results: [{ rowId: 'x', value: '1' }], extra: 1 }).expect(400);
    expect(schema.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body', 'body.results.0.rowId']);

    const report = await getReport(staff, p.reportId);
    expect(report.versions[0]).toMatchObject({ lockVersion: 1 });
    expect(report.versions[0].rows.every((r) => r.value === null)).toBe(true);
    expect(await t.em().count(AuditLog, { entityId: p.reportId })).toBe(0);
  });

  it('vets never see drafts; they see finalized and superseded versions; finalized ones are not editable', async () => {
    const p = await fresh();
    const ids = rowIds((await getReport(staff, p.reportId)).versions[0]);
    await put(staff, p.reportId, { lockVersion: 1, results: [{ rowId: ids.HCT, value: '45' }] }).expect(200);

    const hidden = await getReport(vetA, p.reportId);
    expect(hidden).toMatchObject({ id: p.reportId, protocolId: p.id, versions: [] });
    const hiddenViaProtocol = await t.http().get(`/api/protocols/${p.id}/report`).set(bearer(vetA)).expect(200);
    expect(hiddenViaProtocol.body.versions).toEqual([]);
    await put(vetA, p.reportId, { lockVersion: 2, results: [] }).expect(403);

    // Finalization belongs to another module; here its outcome is written directly.
    const em = t.em();
    const v1 = await em.findOneOrFail(ReportVersion, { report: p.reportId, number: 1 });
    v1.status = ReportVersionStatus.Finalized;
    v1.signer = em.getReference(User, f.signer.id);
    v1.finalizedAt = new Date();
    await em.flush();

    const released = await getReport(vetA, p.reportId);
    expect(released.versions).toHaveLength(1);
    expect(released.versions[0]).toMatchObject({ number: 1, status: 'finalized', signer: { id: f.signer.id, name: f.signer.name } });
    expect(released.versions[0].rows[0]).toMatchObject({ code: 'HCT', value: '45', flag: 'normal' });

    const locked = await put(staff, p.reportId, { lockVersion: v1.lockVersion, results: [{ rowId: ids.HCT, value: '46' }] }).expect(409);
    expect(locked.body.message).toMatch(/no editable draft/);

    // An amendment: v1 superseded, v2 a new draft. The vet still sees v1 only; staff see both, newest first.
    v1.status = ReportVersionStatus.Superseded;
    const v2 = em.create(ReportVersion, { report: v1.report, number: 2, supersedesNumber: 1 });
    em.create(ResultRow, { version: v2, analyte: f.analytes.hct.id, position: 1, range: { low: 37, high: 55, expected: null } });
    await em.flush();
    expect((await getReport(vetA, p.reportId)).versions.map((v) => [v.number, v.status])).toEqual([[1, 'superseded']]);
    const both = await getReport(staff, p.reportId);
    expect(both.versions.map((v) => [v.number, v.status, v.rows.length])).toEqual([
      [2, 'draft', 1],
      [1, 'superseded', 4],
    ]);
    const edited = await put(staff, p.reportId, { lockVersion: 1, results: [{ rowId: both.versions[0].rows[0].id, value: '60' }] }).expect(200);
    expect(edited.body).toMatchObject({ number: 2, lockVersion: 2, complete: true, supersedesNumber: 1 });
    expect(edited.body.rows[0].flag).toBe('high');
  });

  it('the audit trail is readable by the lab, paged, newest first', async () => {
    const p = await fresh();
    await t.http().post(`/api/protocols/${p.id}/receive`).set(bearer(staff)).expect(200);
    const res = await t.http().get(`/api/audit?entity=protocol&entityId=${p.id}&pageSize=1`).set(bearer(staff)).expect(200);
    expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(res.body.items[0]).toMatchObject({ action: 'status_change', actor: { id: f.staff.id, name: f.staff.name }, entity: 'protocol', entityId: p.id });
    const page2 = await t.http().get(`/api/audit?entity=protocol&entityId=${p.id}&pageSize=1&page=2`).set(bearer(staff)).expect(200);
    expect(page2.body.items[0]).toMatchObject({ action: 'create', actor: { id: f.vetA.id } });
    await t.http().get('/api/audit').set(bearer(vetA)).expect(403);
    const bad = await t.http().get('/api/audit?entityId=nope').set(bearer(staff)).expect(400);
    expect(bad.body.details[0].field).toBe('query.entityId');
  });
});
