import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vetlab/shared';
import type { Request } from 'express';
import { IS_PUBLIC, ROLES, SIGNER_ONLY } from './auth.decorators';
import { AuthUser } from './auth-user';
import { UserLookupService } from './user-lookup.service';

/** Global guard: every route needs a valid access token unless marked @Public(); then roles. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserLookupService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const user = await this.users.fromToken(bearerToken(req.headers.authorization));
    if (!user) throw new UnauthorizedException('missing, invalid or expired access token');
    req.user = user;
    assertAllowed(user, {
      roles: this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets),
      signerOnly: this.reflector.getAllAndOverride<boolean>(SIGNER_ONLY, targets),
    });
    return true;
  }
}

/** A route's access rule (@Roles, @SignerOnly) applied to an authenticated user: 403 when it fails. */
export function assertAllowed(user: AuthUser, rule: { roles?: Role[]; signerOnly?: boolean }): void {
  if (rule.roles && !rule.roles.includes(user.role)) throw new ForbiddenException(`requires role ${rule.roles.join(' or ')}`);
  if (rule.signerOnly && !(user.signer || user.role === Role.Admin)) throw new ForbiddenException('requires a signer');
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
}
