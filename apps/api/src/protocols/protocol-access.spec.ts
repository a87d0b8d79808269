import { Role } from '@vetlab/shared';
import { canSeeClinic } from './protocol-access';

describe('canSeeClinic', () => {
  it('lets the lab see every clinic and a vet only their own', () => {
    expect(canSeeClinic({ role: Role.Staff, clinicId: null }, 'a')).toBe(true);
    expect(canSeeClinic({ role: Role.Admin, clinicId: null }, 'a')).toBe(true);
    expect(canSeeClinic({ role: Role.Vet, clinicId: 'a' }, 'a')).toBe(true);
    expect(canSeeClinic({ role: Role.Vet, clinicId: 'a' }, 'b')).toBe(false);
    expect(canSeeClinic({ role: Role.Vet, clinicId: null }, 'a')).toBe(false);
  });
});
