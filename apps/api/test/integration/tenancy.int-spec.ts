import { ProtocolDetail } from '@vetlab/shared';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { createTestApp, TestApp } from '../support/test-app';

/** A vet reaches another clinic's records by no route: always 404, never 403, never a hint. */
describe('tenancy', () => {
  let t: TestApp;
  let f: Fixtures;
  let vetA: string;
  let vetB: string;
  let staff: string;
  let ofA: ProtocolDetail;
  let ofB: ProtocolDetail;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
    [vetA, vetB, staff] = await Promise.all([tokenFor(t, f.vetA), tokenFor(t, f.vetB), tokenFor(t, f.staff)]);
    ofA = await submitProtocol(t, vetA, protocolBody(f, { animal: { name: 'Alfa', species: 'dog' } }));
    ofB = await submitProtocol(t, vetB, protocolBody(f, { animal: { name: 'Beta', species: 'cat' } }));
    await submitProtocol(t, staff, protocolBody(f, { clinicId: f.clinicB.id, animal: { name: 'Gamma', species: 'dog' } }));
  });
  afterAll(() => t?.close());

  const routes = (p: ProtocolDetail) => [
    [`/api/protocols/${p.id}`, 'protocol not found'],
    [`/api/protocols/${p.id}/work-order`, 'work order not found'],
    [`/api/work-orders/${p.workOrderId}`, 'work order not found'],
    [`/api/protocols/${p.id}/report`, 'report not found'],
    [`/api/reports/${p.reportId}`, 'report not found'],
  ];

  it("a vet gets 404 for every route to another clinic's records, exactly as for a missing id", async () => {
    for (const [url, message] of routes(ofB)) {
      const res = await t.http().get(url).set(bearer(vetA));
      expect({ url, status: res.status, message: res.body.message }).toEqual({ url, status: 404, message });
    }
    for (const [url, message] of routes(ofA)) {
      const res = await t.http().get(url).set(bearer(vetB));
      expect({ url, status: res.status, message: res.body.message }).toEqual({ url, status: 404, message });
    }
  });

  it('a vet reads their own clinic by every route, and staff read every clinic', async () => {
    for (const [url] of routes(ofA)) await t.http().get(url).set(bearer(vetA)).expect(200);
    for (const [url] of [...routes(ofA), ...routes(ofB)]) await t.http().get(url).set(bearer(staff)).expect(200);
  });

  it('lists show a vet only their clinic; asking for another clinic gives an empty page', async () => {
    const mine = await t.http().get('/api/protocols').set(bearer(vetA)).expect(200);
    expect(mine.body.items.map((p: { animalName: string }) => p.animalName)).toEqual(['Alfa']);
    const theirs = await t.http().get('/api/protocols').set(bearer(vetB)).expect(200);
    expect(theirs.body.items.map((p: { animalName: string }) => p.animalName).sort()).toEqual(['Beta', 'Gamma']);
    const asked = await t.http().get(`/api/protocols?clinicId=${f.clinicB.id}&q=beta`).set(bearer(vetA)).expect(200);
    expect(asked.body).toEqual({ items: [], total: 0, page: 1, pageSize: 25 });
    const all = await t.http().get('/api/protocols').set(bearer(staff)).expect(200);
    expect(all.body.total).toBe(3);
  });

  it('malformed ids are 400 naming param.id on every route', async () => {
    for (const url of ['/api/protocols/x', '/api/protocols/x/work-order', '/api/work-orders/x', '/api/protocols/x/report', '/api/reports/x']) {
      const res = await t.http().get(url).set(bearer(vetA));
      expect({ url, status: res.status, field: res.body.details?.[0]?.field }).toEqual({ url, status: 400, field: 'param.id' });
    }
  });
});
