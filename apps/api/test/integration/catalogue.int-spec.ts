import { CatalogueView } from '@vetlab/shared';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

describe('catalogue', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
  });
  afterAll(() => t?.close());

  it('gives any signed-in user the analytes with ranges (bench order) and the panels with analyte ids', async () => {
    const res = await t.http().get('/api/catalogue').set(bearer(await tokenFor(t, f.vetB))).expect(200);
    const c = res.body as CatalogueView;
    expect(c.analytes.map((a) => a.code)).toEqual(['HCT', 'GLU', 'ALT', 'U-PROT']);
    expect(c.analytes[0]).toEqual({
      id: f.analytes.hct.id,
      code: 'HCT',
      name: 'Hematocrito',
      section: 'hemograma',
      unit: '%',
      kind: 'numeric',
      decimals: 1,
      ranges: [
        { species: 'dog', low: 37, high: 55, expected: null },
        { species: 'cat', low: 30, high: 45, expected: null },
      ],
    });
    expect(c.panels).toEqual([
      { id: f.panels.cbc.id, code: 'CBC', name: 'Hemograma', analyteIds: [f.analytes.hct.id] },
      { id: f.panels.chem.id, code: 'CHEM', name: 'Bioquímica básica', analyteIds: [f.analytes.glu.id, f.analytes.alt.id] },
      { id: f.panels.urine.id, code: 'URI', name: 'Urianálisis', analyteIds: [f.analytes.prot.id] },
    ]);
    await t.http().get('/api/catalogue').set(bearer(await tokenFor(t, f.staff))).expect(200);
  });

  it('requires a token', async () => {
    await t.http().get('/api/catalogue').expect(401);
  });
});
