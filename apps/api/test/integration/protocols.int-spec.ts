import { AuditAction, ProtocolDetail, ProtocolStatus, ReportVersionStatus, Section, Species } from '@vetlab/shared';
import { AuditLog } from '../../src/audit/audit-log.entity';
import { Protocol } from '../../src/protocols/protocol.entity';
import { ReportVersion } from '../../src/reports/report-version.entity';
import { ResultRow } from '../../src/reports/result-row.entity';
import { WorkOrder } from '../../src/work-orders/work-order.entity';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

describe('protocol intake and list', () => {
  let t: TestApp;
  let f: Fixtures;
  let vetA: string;
  let vetB: string;
  let staff: string;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    [vetA, vetB, staff] = await Promise.all([tokenFor(t, f.vetA), tokenFor(t, f.vetB), tokenFor(t, f.staff)]);
  });
  afterAll(() => t?.close());

  const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

  describe('intake', () => {
    it('a vet submits for their own clinic: work order, draft rows with ranges and an audit entry are created', async () => {
      const p = await submitProtocol(t, vetA, protocolBody(f, { panelIds: [f.panels.chem.id, f.panels.cbc.id] }));
      expect(p.code).toMatch(new RegExp(`^P-${new Date().getUTCFullYear()}-\\d{6}$`));
      expect(p).toMatchObject({
        status: ProtocolStatus.Submitted,
        clinic: { id: f.clinicA.id, name: f.clinicA.name },
        vet: { id: f.vetA.id, name: f.vetA.name },
        animalName: 'Firulais',
        species: Species.Dog,
        ownerName: 'María Gómez',
        version: 1,
        availableActions: [],
        receivedBy: null,
      });
      expect(p.panels.map((x) => x.code)).toEqual(['CHEM', 'CBC']);

      const em = t.em();
      const wo = await em.findOneOrFail(WorkOrder, { id: p.workOrderId });
      // Hematology is printed before chemistry whatever the request order.
      expect(wo.sections.map((s) => s.section)).toEqual([Section.Hematology, Section.Biochemistry]);
      expect(wo.sections[1].analytes.map((a) => a.code)).toEqual(['GLU', 'ALT']);
      expect(wo.contentVersion).toBe(1);

      const version = await em.findOneOrFail(ReportVersion, { report: p.reportId });
      expect(version).toMatchObject({ number: 1, status: ReportVersionStatus.Draft, lockVersion: 1 });
      const rows = await em.find(ResultRow, { version: version.id }, { populate: ['analyte'], orderBy: { position: 'asc' } });
      expect(rows.map((r) => [r.position, r.analyte.code, r.range])).toEqual([
        [1, 'HCT', { low: 37, high: 55, expected: null }],
        [2, 'GLU', { low: 70, high: 143, expected: null }],
        [3, 'ALT', { low: 10, high: 125, expected: null }],
      ]);
      expect(rows.every((r) => r.value === null)).toBe(true);

      const protocol = await em.findOneOrFail(Protocol, { id: p.id });
      expect(protocol.searchText).toBe(`${p.code.toLowerCase()} firulais maría gómez`);
      const audit = await em.find(AuditLog, { entity: 'protocol', entityId: p.id });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: AuditAction.Create, actorId: f.vetA.id });
      expect(audit[0].after).toMatchObject({ code: p.code, status: 'submitted', clinicId: f.clinicA.id });
    });

    it('staff submit on behalf of a clinic, naming one of its vets, and are offered the next actions', async () => {
      const p = await submitProtocol(t, staff, protocolBody(f, { clinicId: f.clinicB.id, vetId: f.vetB.id, animal: { name: 'Misha', species: 'cat' } }));
      expect(p).toMatchObject({ clinic: { id: f.clinicB.id }, vet: { id: f.vetB.id }, species: 'cat', sex: 'unknown', availableActions: ['receive', 'reject'] });
      const rows = await t.em().find(ResultRow, { version: { report: p.reportId } }, { populate: ['analyte'], orderBy: { position: 'asc' } });
      expect(rows[0].range).toEqual({ low: 30, high: 45, expected: null });

      const noVet = await submitProtocol(t, staff, protocolBody(f, { clinicId: f.clinicA.id }));
      expect(noVet.vet).toBeNull();
    });

    it('refuses clinic and vet choices that do not fit the caller, naming the field', async () => {
      const cases: [string, object, string][] = [
        [staff, {}, 'body.clinicId'],
        [staff, { clinicId: '00000000-0000-4000-8000-000000000000' }, 'body.clinicId'],
        [staff, { clinicId: f.clinicA.id, vetId: f.vetB.id }, 'body.vetId'],
        [staff, { clinicId: f.clinicA.id, vetId: f.staff.id }, 'body.vetId'],
        [vetA, { clinicId: f.clinicB.id }, 'body.clinicId'],
        [vetA, { vetId: f.vetA.id }, 'body.vetId'],
      ];
      for (const [token, over, field] of cases) {
        const res = await t.http().post('/api/protocols').set(bearer(token)).send(protocolBody(f, over));
        expect({ over, status: res.status, fields: fields(res.body) }).toEqual({ over, status: 400, fields: [field] });
      }
      // A vet may repeat their own clinic.
      await submitProtocol(t, vetA, protocolBody(f, { clinicId: f.clinicA.id }));
    });

    it('validation errors name every bad field', async () => {
      const base = protocolBody(f);
      const cases: [object, string[]][] = [
        [{ ...base, animal: { species: 'dog' } }, ['body.animal.name']],
        [{ ...base, animal: { name: 'Rex', species: 'dragon' } }, ['body.animal.species']],
        [{ ...base, samples: [] }, ['body.samples']],
        [{ ...base, panelIds: [f.panels.cbc.id, '00000000-0000-4000-8000-000000000000'] }, ['body.panelIds.1']],
        [{ ...base, panelIds: ['nope'] }, ['body.panelIds.0']],
        [{ ...base, colour: 'brown' }, ['body']],
        [{ ...base, owner: { name: 'X', fax: '1' } }, ['body.owner']],
        [{ ...base, priority: 'whenever', samples: [{ type: 'serum', count: 0 }] }, ['body.samples.0.count', 'body.priority']],
      ];
      for (const [body, expected] of cases) {
        const res = await t.http().post('/api/protocols').set(bearer(staff)).send({ clinicId: f.clinicA.id, ...body });
        expect(res.status).toBe(400);
        expect(fields(res.body).sort()).toEqual([...expected].sort());
      }
      const extra = await t.http().post('/api/protocols').set(bearer(vetA)).send({ ...base, colour: 'brown' });
      expect(extra.body.message).toMatch(/unknown field\(s\): colour/);
      const missing = await t.http().post('/api/protocols').set(bearer(vetA)).send();
      expect(missing.status).toBe(400);
    });

    it('gives unique consecutive codes to 10 concurrent intakes', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => submitProtocol(t, i % 2 ? vetA : vetB, protocolBody(f))));
      const numbers = results.map((p) => Number(p.code.slice(-6))).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(10);
      expect(numbers[9] - numbers[0]).toBe(9);
    });

    it('requires a token', async () => {
      await t.http().post('/api/protocols').send(protocolBody(f)).expect(401);
    });
  });

  describe('list', () => {
    let created: ProtocolDetail[];
    const day = (d: string) => new Date(`${d}T12:00:00.000Z`);

    beforeAll(async () => {
      // A clean slate for exact counts: drop what the intake tests created.
      await t.em().nativeDelete(Protocol, {});
      const specs: [string, string, 'dog' | 'cat', string, string][] = [
        // clinic, animal, species, owner, createdAt day
        [f.clinicA.id, 'Athos', 'dog', 'Ana Pérez', '2026-03-01'],
        [f.clinicA.id, 'Bella', 'cat', 'Bruno Díaz', '2026-03-02'],
        [f.clinicA.id, 'Coco', 'dog', 'Carla Ruiz', '2026-03-03'],
        [f.clinicB.id, 'Dana', 'cat', 'Diego Paz', '2026-03-04'],
        [f.clinicB.id, 'Ñandú 100%', 'dog', 'Elena Sosa', '2026-03-05'],
      ];
      created = [];
      for (const [clinicId, name, species, owner] of specs) {
        created.push(await submitProtocol(t, staff, protocolBody(f, { clinicId, animal: { name, species }, owner: { name: owner } })));
      }
      const em = t.em();
      for (const [i, p] of created.entries()) await em.nativeUpdate(Protocol, { id: p.id }, { createdAt: day(specs[i][4]) });
      await t.http().post(`/api/protocols/${created[1].id}/receive`).set(bearer(staff)).expect(200);
      await t.http().post(`/api/protocols/${created[3].id}/reject`).set(bearer(staff)).send({ reason: 'muestra hemolizada' }).expect(200);
    });

    const list = async (token: string, query: string) => {
      const res = await t.http().get(`/api/protocols?${query}`).set(bearer(token));
      expect(res.status).toBe(200);
      return res.body as { items: { animalName: string; clinic: { name: string }; vet: unknown }[]; total: number; page: number; pageSize: number };
    };
    const names = (body: { items: { animalName: string }[] }) => body.items.map((i) => i.animalName);

    it('lists newest first by default, with clinic names joined and paging', async () => {
      const all = await list(staff, '');
      expect(names(all)).toEqual(['Ñandú 100%', 'Dana', 'Coco', 'Bella', 'Athos']);
      expect(all).toMatchObject({ total: 5, page: 1, pageSize: 25 });
      expect(all.items[0].clinic.name).toBe(f.clinicB.name);
      // Rows carry the optimistic-lock version so that list actions (intake queue) can send it.
      expect((all.items as { version?: unknown }[]).every((i) => Number.isInteger(i.version) && (i.version as number) >= 1)).toBe(true);

      const p2 = await list(staff, 'pageSize=2&page=2');
      expect(names(p2)).toEqual(['Coco', 'Bella']);
      expect(p2.total).toBe(5);
      const p3 = await list(staff, 'pageSize=2&page=3');
      expect(names(p3)).toEqual(['Athos']);
    });

    it('filters by status list, clinic, species and creation dates', async () => {
      expect(names(await list(staff, 'status=received,rejected'))).toEqual(['Dana', 'Bella']);
      expect(names(await list(staff, 'status=submitted&species=dog'))).toEqual(['Ñandú 100%', 'Coco', 'Athos']);
      expect(names(await list(staff, `clinicId=${f.clinicB.id}`))).toEqual(['Ñandú 100%', 'Dana']);
      expect(names(await list(staff, 'from=2026-03-02&to=2026-03-04'))).toEqual(['Dana', 'Coco', 'Bella']);
      expect(names(await list(staff, 'from=2026-03-04T00:00:00Z'))).toEqual(['Ñandú 100%', 'Dana']);
      expect(names(await list(staff, 'to=2026-03-01T12:00:00.000Z'))).toEqual(['Athos']);
    });

    it('searches code, animal and owner case-insensitively, treating wildcards literally', async () => {
      expect(names(await list(staff, 'q=BELLA'))).toEqual(['Bella']);
      expect(names(await list(staff, `q=${encodeURIComponent('díaz')}`))).toEqual(['Bella']);
      expect(names(await list(staff, `q=${encodeURIComponent(created[2].code.toLowerCase())}`))).toEqual(['Coco']);
      expect(names(await list(staff, `q=${encodeURIComponent('ñandú')}`))).toEqual(['Ñandú 100%']);
      expect(names(await list(staff, `q=${encodeURIComponent('100%')}`))).toEqual(['Ñandú 100%']);
      expect(names(await list(staff, `q=${encodeURIComponent('%')}`))).toEqual(['Ñandú 100%']);
      expect(names(await list(staff, 'q=_'))).toEqual([]);
    });

    it('sorts by any allowed field either way', async () => {
      expect(names(await list(staff, 'sort=animalName'))).toEqual(['Athos', 'Bella', 'Coco', 'Dana', 'Ñandú 100%']);
      expect(names(await list(staff, 'sort=-ownerName'))).toEqual(['Ñandú 100%', 'Dana', 'Coco', 'Bella', 'Athos']);
      expect(names(await list(staff, 'sort=code'))).toEqual(['Athos', 'Bella', 'Coco', 'Dana', 'Ñandú 100%']);
      // Only Bella was received; nulls go last both ways.
      expect(names(await list(staff, 'sort=-receivedAt'))[0]).toBe('Bella');
      expect(names(await list(staff, 'sort=receivedAt'))[0]).toBe('Bella');
    });

    it('keeps a vet inside their clinic', async () => {
      expect(names(await list(vetA, ''))).toEqual(['Coco', 'Bella', 'Athos']);
      expect(names(await list(vetB, 'status=rejected'))).toEqual(['Dana']);
      const other = await list(vetA, `clinicId=${f.clinicB.id}`);
      expect(other).toMatchObject({ items: [], total: 0 });
    });

    it('answers bad queries with 400 naming the parameter', async () => {
      const cases: [string, string][] = [
        ['sort=password', 'query.sort'],
        ['status=lost', 'query.status.0'],
        ['pageSize=1000', 'query.pageSize'],
        ['page=0', 'query.page'],
        ['from=yesterday', 'query.from'],
        ['clinicId=abc', 'query.clinicId'],
        ['species=fish', 'query.species'],
      ];
      for (const [query, field] of cases) {
        const res = await t.http().get(`/api/protocols?${query}`).set(bearer(staff));
        expect({ query, status: res.status, fields: fields(res.body) }).toEqual({ query, status: 400, fields: [field] });
      }
    });
  });
});
