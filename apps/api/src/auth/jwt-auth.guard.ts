import { CanActivate, ExecutionContext, ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vetlab/shared';
import type { FastifyRequest } from 'fastify';
import { HIDDEN_FROM, IS_PUBLIC, ROLES, SIGNER_ONLY } from './auth.decorators';
import { AuthUser } from './auth-user';
import { UserLookupService } from './user-lookup.service';

/** A route's access rule, from @Public, @Roles and @SignerOnly on its method or its class. */
export interface AccessRule {
  isPublic: boolean;
  roles?: Role[];
  /** Roles answered 404 (the route is not theirs to know about). */
  hiddenFrom?: Role[];
  signerOnly: boolean;
}

/** Global guard: every route needs a valid access token unless marked @Public(); then roles. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  /** Per handler: the decorators never change once the app has started. */
  private readonly rules = new WeakMap<object, AccessRule>();

  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserLookupService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const handler = ctx.getHandler();
    let rule = this.rules.get(handler);
    if (!rule) this.rules.set(handler, (rule = accessRuleOf(this.reflector, handler, ctx.getClass())));
    if (rule.isPublic) return true;
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
    req.user = await authenticate(this.users, req.headers.authorization, rule);
    return true;
  }
}

export function accessRuleOf(reflector: Reflector, handler: object, type: object): AccessRule {
  const targets = [handler, type] as Parameters<Reflector['getAllAndOverride']>[1];
  return {
    isPublic: !!reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets),
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets),
    hiddenFrom: reflector.getAllAndOverride<Role[] | undefined>(HIDDEN_FROM, targets),
    signerOnly: !!reflector.getAllAndOverride<boolean>(SIGNER_ONLY, targets),
  };
}

/**
 * The current user of an Authorization header, allowed by the rule: 401 without a valid token of an
 * active user, 403 when the rule refuses them. The guard's steps.
 */
export async function authenticate(users: UserLookupService, authorization: string | undefined, rule: Omit<AccessRule, 'isPublic'>): Promise<AuthUser> {
  const user = await users.fromToken(bearerToken(authorization));
  if (!user) throw new UnauthorizedException('missing, invalid or expired access token');
  if (rule.hiddenFrom?.includes(user.role)) throw new NotFoundException('not found');
  if (rule.roles && !rule.roles.includes(user.role)) throw new ForbiddenException(`requires role ${rule.roles.join(' or ')}`);
  if (rule.signerOnly && !(user.signer || user.role === Role.Admin)) throw new ForbiddenException('requires a signer');
  return user;
}

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | undefined): string | null {
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
}
