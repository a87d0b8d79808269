import { ClinicView } from '@vetlab/shared';
import { bearer, tokenFor } from '../support/auth';
import { Fixtures, seedFixtures } from '../support/fixtures';
import { createTestApp, TestApp } from '../support/test-app';

describe('clinics', () => {
  let t: TestApp;
  let f: Fixtures;

  beforeAll(async () => {
    t = await createTestApp();
    f = await seedFixtures(t.em());
  });
  afterAll(() => t?.close());

  const list = async (user: 'staff' | 'admin' | 'vetA' | 'vetB') =>
    (await t.http().get('/api/clinics').set(bearer(await tokenFor(t, f[user]))).expect(200)).body as ClinicView[];

  it('lists every clinic, by name, for staff and admins', async () => {
    for (const who of ['staff', 'admin'] as const) {
      expect(await list(who)).toEqual([
        { id: f.clinicA.id, name: 'Clínica Norte', resultEmails: ['resultados@norte.test'], reportLanguage: 'es', address: null, phone: null },
        { id: f.clinicB.id, name: 'Clínica Sur', resultEmails: ['resultados@sur.test'], reportLanguage: 'es', address: null, phone: null },
      ]);
    }
  });

  it('shows a vet only their own clinic', async () => {
    expect((await list('vetA')).map((c) => c.id)).toEqual([f.clinicA.id]);
    expect((await list('vetB')).map((c) => c.id)).toEqual([f.clinicB.id]);
  });

  it('needs an access token', async () => {
    await t.http().get('/api/clinics').expect(401);
  });
});
