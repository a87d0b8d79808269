import { ForbiddenException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vetlab/shared';
import type { AuthUser } from './auth-user';
import { HiddenFrom, Roles } from './auth.decorators';
import { accessRuleOf, authenticate } from './jwt-auth.guard';
import type { UserLookupService } from './user-lookup.service';

const user = (role: Role, signer = false): AuthUser => ({ id: 'u1', email: 'u@lab.test', name: 'U', role, signer, clinicId: null });
const lookup = (u: AuthUser | null) => ({ fromToken: async () => u }) as unknown as UserLookupService;

@Roles(Role.Admin)
@HiddenFrom(Role.Vet)
class OpsController {
  list() {
    return [];
  }
}

describe('the access rule of a route hidden from vets (the operations console)', () => {
  const rule = accessRuleOf(new Reflector(), OpsController.prototype.list, OpsController);

  it('reads @Roles(admin) @HiddenFrom(vet) as admins only, hidden from vets', () => {
    expect(rule).toEqual({ isPublic: false, roles: [Role.Admin], signerOnly: false, hiddenFrom: [Role.Vet] });
  });

  it('lets admins through, refuses staff (403, signers too), answers vets 404 and no token 401', async () => {
    await expect(authenticate(lookup(user(Role.Admin)), 'Bearer x', rule)).resolves.toMatchObject({ role: Role.Admin });
    await expect(authenticate(lookup(user(Role.Staff, true)), 'Bearer x', rule)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(authenticate(lookup(user(Role.Vet)), 'Bearer x', rule)).rejects.toBeInstanceOf(NotFoundException);
    await expect(authenticate(lookup(null), undefined, rule)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('a signer-only route refuses staff who are not signers and lets signers and admins through', async () => {
    const signerOnly = { roles: [Role.Staff, Role.Admin], signerOnly: true };
    await expect(authenticate(lookup(user(Role.Staff)), 'Bearer x', signerOnly)).rejects.toThrow('requires a signer');
    await expect(authenticate(lookup(user(Role.Staff, true)), 'Bearer x', signerOnly)).resolves.toMatchObject({ signer: true });
    await expect(authenticate(lookup(user(Role.Admin)), 'Bearer x', signerOnly)).resolves.toMatchObject({ role: Role.Admin });
  });
});
