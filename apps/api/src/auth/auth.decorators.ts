import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@vetlab/shared';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'vetlab:public';
export const ROLES = 'vetlab:roles';
export const SIGNER_ONLY = 'vetlab:signer';
export const HIDDEN_FROM = 'vetlab:hidden-from';

/** No access token needed (login, refresh, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Only these roles; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** Staff flagged as signers (and admins). */
export const SignerOnly = () => SetMetadata(SIGNER_ONLY, true);
/** Roles that must not learn the route exists: they get 404 where other refused roles get 403. */
export const HiddenFrom = (...roles: Role[]) => SetMetadata(HIDDEN_FROM, roles);
/** The operations console (issue 16): admins only; staff are refused (403), vets do not see it (404). */
export const OpsAdmin = () => applyDecorators(Roles(Role.Admin), HiddenFrom(Role.Vet));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
