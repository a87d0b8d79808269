import { EntityManager } from '@mikro-orm/core';
import { ReportLanguage, Role } from '@vetlab/shared';
import { hashPassword } from '../auth/password';
import { Clinic } from '../clinics/clinic.entity';
import { User } from '../users/user.entity';
import { DEMO_ADMIN, DEMO_CLINICS, DEMO_PASSWORDS, DEMO_STAFF, DemoClinic, FIRST_NAMES, SURNAMES } from './demo-people';
import { Prng } from './prng';
import { insertRows } from './seed-writer';
import { normalizeSignature, storeSignature } from '../signatures/signature-image';
import { FileStorage } from '../storage/file-storage';
import { signaturePng } from './signature-png';

export interface SeedClinic extends DemoClinic {
  id: string;
  vetIds: string[];
}

export interface SeedPeople {
  clinics: SeedClinic[];
  technicianIds: string[];
  signerIds: string[];
  adminId: string;
  names: Map<string, string>;
}

/**
 * Clinics, their vets, lab staff (technicians and signers with signature images) and the admin.
 * `signers` above two adds generated signers (the bench profile wants twenty).
 */
export async function insertPeople(em: EntityManager, ids: Prng, opts: { hashCost: 'normal' | 'low'; signers: number; createdAt: Date; storage: FileStorage }): Promise<SeedPeople> {
  const clinics: SeedClinic[] = DEMO_CLINICS.map((c) => ({ ...c, id: ids.uuid(), vetIds: [] }));
  const users: { id: string; email: string; name: string; role: Role; signer: boolean; clinic: string | null }[] = [];
  const user = (email: string, name: string, role: Role, signer = false, clinic: string | null = null) => {
    const id = ids.uuid();
    users.push({ id, email, name, role, signer, clinic });
    return id;
  };
  for (const c of clinics) for (const v of c.vets) c.vetIds.push(user(v.email, v.name, Role.Vet, false, c.id));
  const technicianIds: string[] = [];
  const signerIds: string[] = [];
  for (const s of DEMO_STAFF) (s.signer ? signerIds : technicianIds).push(user(s.email, s.name, Role.Staff, s.signer));
  const names = ids.fork('signer-names');
  for (let n = signerIds.length + 1; n <= opts.signers; n++) {
    const name = `${names.chance(0.5) ? 'Dra.' : 'Dr.'} ${names.pick(FIRST_NAMES)} ${names.pick(SURNAMES)} ${names.pick(SURNAMES)}`;
    signerIds.push(user(`firmante${n}@vetlab.local`, name, Role.Staff, true));
  }
  const adminId = user(DEMO_ADMIN.email, DEMO_ADMIN.name, Role.Admin);

  // argon2 runs on libuv's pool: hashing in parallel keeps even the normal cost to a second or two.
  const hashes = await Promise.all(users.map((u) => hashPassword(DEMO_PASSWORDS[u.role], opts.hashCost)));
  // Through the same normalization and storage as an admin's upload, so demo signers have keys.
  const signatureKeys = new Map<string, string>();
  for (const u of users.filter((x) => x.signer)) signatureKeys.set(u.id, await storeSignature(opts.storage, u.id, normalizeSignature(signaturePng(u.name)).png));
  await insertRows(em, Clinic, clinics.map((c) => ({ id: c.id, name: c.name, resultEmails: c.resultEmails, reportLanguage: c.reportLanguage ?? ReportLanguage.Es, createdAt: opts.createdAt })));
  await insertRows(
    em,
    User,
    users.map((u, i) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      passwordHash: hashes[i],
      role: u.role,
      signer: u.signer,
      active: true,
      clinic: u.clinic,
      signatureKey: signatureKeys.get(u.id) ?? null,
      createdAt: opts.createdAt,
      updatedAt: opts.createdAt,
    })),
  );
  return { clinics, technicianIds, signerIds, adminId, names: new Map(users.map((u) => [u.id, u.name])) };
}
