import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'vetlab:public';
export const ROLES = 'vetlab:roles';
export const SIGNER_ONLY = 'vetlab:signer';
export const HIDDEN_FROM = 'vetlab:hidden';

/** No access token needed (login, refresh, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/**
 * These roles get 404, as if the route did not exist, instead of the 403 of @Roles: vets are not
 * told that the lab's back office (the operations console) is there.
 */
export const HiddenFrom = (...roles: Role[]) => SetMetadata(HIDDEN_FROM, roles);
/** Staff flagged as signers (and admins). */
export const SignerOnly = () => SetMetadata(SIGNER_ONLY, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
