import { ForbiddenException, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import type { AuthUser } from './auth-user';
import { authenticate } from './jwt-auth.guard';
import type { UserLookupService } from './user-lookup.service';

const as = (role: Role) => ({ fromToken: async (token: string | null) => (token ? ({ id: 'u', role, signer: false } as unknown as AuthUser) : null) }) as unknown as UserLookupService;
const header = 'Bearer t';

describe('authenticate', () => {
  const opsRule = { roles: [Role.Admin], hiddenFrom: [Role.Vet], signerOnly: false };

  it('lets the roles of the rule in', async () => {
    await expect(authenticate(as(Role.Admin), header, opsRule)).resolves.toMatchObject({ role: Role.Admin });
  });

  it('answers 404 to a role the route is hidden from, 403 to another role it does not allow, 401 without a user', async () => {
    await expect(authenticate(as(Role.Vet), header, opsRule)).rejects.toBeInstanceOf(NotFoundException);
    await expect(authenticate(as(Role.Staff), header, opsRule)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(authenticate(as(Role.Vet), undefined, opsRule)).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('without hiddenFrom a refused vet gets 403 as before', async () => {
    await expect(authenticate(as(Role.Vet), header, { roles: [Role.Admin], signerOnly: false })).rejects.toBeInstanceOf(ForbiddenException);
  });
});
