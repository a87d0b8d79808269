import { EntityManager } from '@mikro-orm/core';
import { AnalyteKind, Role, Section, Species } from '@vetlab/shared';
import { hashPassword } from '../../src/auth/password';
import { Analyte } from '../../src/catalogue/analyte.entity';
import { Panel } from '../../src/catalogue/panel.entity';
import { Clinic } from '../../src/clinics/clinic.entity';
import { User } from '../../src/users/user.entity';

export const PASSWORD = 'correct-horse-battery';

export interface Fixtures {
  clinicA: Clinic;
  clinicB: Clinic;
  vetA: User;
  vetB: User;
  staff: User;
  signer: User;
  admin: User;
  analytes: { hct: Analyte; glu: Analyte; alt: Analyte; prot: Analyte };
  panels: { cbc: Panel; chem: Panel; urine: Panel };
}

/** A small lab: two clinics with a vet each, staff, a signer, an admin and a tiny catalogue. */
export async function seedFixtures(em: EntityManager): Promise<Fixtures> {
  const hash = await hashPassword(PASSWORD, 'low');
  const clinicA = em.create(Clinic, { name: 'Clínica Norte', resultEmails: ['resultados@norte.test'] });
  const clinicB = em.create(Clinic, { name: 'Clínica Sur', resultEmails: ['resultados@sur.test'] });
  const user = (email: string, name: string, role: Role, extra: Partial<User> = {}) =>
    em.create(User, { email, name, role, passwordHash: hash, ...extra });
  const vetA = user('vet.a@norte.test', 'Dra. Ana Norte', Role.Vet, { clinic: clinicA });
  const vetB = user('vet.b@sur.test', 'Dr. Bruno Sur', Role.Vet, { clinic: clinicB });
  const staff = user('staff@lab.test', 'Carla Técnica', Role.Staff);
  const signer = user('signer@lab.test', 'Dr. Diego Firmante', Role.Staff, { signer: true });
  const admin = user('admin@lab.test', 'Elena Admin', Role.Admin);
  const analyte = (code: string, name: string, section: Section, kind: AnalyteKind, unit: string | null, ranges: Analyte['ranges'], position: number) =>
    em.create(Analyte, { code, name, section, kind, unit, ranges, position, decimals: 1 });
  const hct = analyte('HCT', 'Hematocrito', Section.Hematology, AnalyteKind.Numeric, '%', [
    { species: Species.Dog, low: 37, high: 55, expected: null },
    { species: Species.Cat, low: 30, high: 45, expected: null },
  ], 1);
  const glu = analyte('GLU', 'Glucosa', Section.Biochemistry, AnalyteKind.Numeric, 'mg/dL', [
    { species: Species.Dog, low: 70, high: 143, expected: null },
    { species: Species.Cat, low: 71, high: 159, expected: null },
  ], 1);
  const alt = analyte('ALT', 'Alanina aminotransferasa', Section.Biochemistry, AnalyteKind.Numeric, 'U/L', [
    { species: Species.Dog, low: 10, high: 125, expected: null },
    { species: Species.Cat, low: 12, high: 130, expected: null },
  ], 2);
  const prot = analyte('U-PROT', 'Proteínas en orina', Section.Urinalysis, AnalyteKind.Qualitative, null, [
    { species: Species.Dog, low: null, high: null, expected: 'negativo' },
    { species: Species.Cat, low: null, high: null, expected: 'negativo' },
  ], 1);
  const cbc = em.create(Panel, { code: 'CBC', name: 'Hemograma' });
  cbc.analytes.add(hct);
  const chem = em.create(Panel, { code: 'CHEM', name: 'Bioquímica básica' });
  chem.analytes.add(glu, alt);
  const urine = em.create(Panel, { code: 'URI', name: 'Urianálisis' });
  urine.analytes.add(prot);
  await em.flush();
  return { clinicA, clinicB, vetA, vetB, staff, signer, admin, analytes: { hct, glu, alt, prot }, panels: { cbc, chem, urine } };
}
