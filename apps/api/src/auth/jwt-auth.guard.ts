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
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : null;
    const user = await this.users.fromToken(token);
    if (!user) throw new UnauthorizedException('missing, invalid or expired access token');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) throw new ForbiddenException(`requires role ${roles.join(' or ')}`);
    if (this.reflector.getAllAndOverride<boolean>(SIGNER_ONLY, targets) && !(user.signer || user.role === Role.Admin)) {
      throw new ForbiddenException('requires a signer');
    }
    return true;
  }
}
