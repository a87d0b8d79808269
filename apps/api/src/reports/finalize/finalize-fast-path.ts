import { INestApplication, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdParams, Role } from '@vetlab/shared';
import type { NextFunction, Request, Response } from 'express';
import { ROLES, SIGNER_ONLY } from '../../auth/auth.decorators';
import { assertAllowed, bearerToken } from '../../auth/jwt-auth.guard';
import { UserLookupService } from '../../auth/user-lookup.service';
import { HttpExceptionFilter } from '../../common/http-exception.filter';
import { ZodPipe } from '../../common/zod';
import { ReportsController } from '../reports.controller';
import { FinalizeRequestService } from './finalize-request.service';

const ROUTE = /^\/api\/reports\/([^/?#]+)\/finalize\/?(?:\?.*)?$/;

/**
 * `POST /api/reports/:id/finalize`, answered ahead of Nest's per-request pipeline.
 *
 * Twenty signers who click together are answered one after the other by one event loop, so the
 * last one waits for the sum of everybody's request cost. Under such a burst Nest's pipeline
 * (routing through every route, body and cookie parsing, the request context, guard, pipes and
 * interceptors) costs more than the finalize itself, which is a token check, two prepared
 * statements and an enqueue. This handler runs the same steps with the same parts:
 * - the token and the user: UserLookupService, as the global guard does;
 * - the access rule: read from ReportsController.finalize's own decorators (@SignerOnly), and
 *   applied by the guard's assertAllowed;
 * - the id: the same shared schema through the same ZodPipe (a 400 that names `param.id`);
 * - the work: FinalizeRequestService.finalize;
 * - errors: HttpExceptionFilter's body.
 * The controller method stays: it documents the route in OpenAPI and is what the rule is read from.
 */
export function finalizeFastPath(app: INestApplication): (req: Request, res: Response, next: NextFunction) => void {
  const users = app.get(UserLookupService, { strict: false });
  const finalizer = app.get(FinalizeRequestService, { strict: false });
  const reflector = app.get(Reflector);
  const targets = [ReportsController.prototype.finalize, ReportsController];
  const rule = {
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets),
    signerOnly: reflector.getAllAndOverride<boolean>(SIGNER_ONLY, targets),
  };
  const params = new ZodPipe(IdParams, 'param');
  const errors = new HttpExceptionFilter();

  const handle = async (req: Request, res: Response, rawId: string) => {
    const user = await users.fromToken(bearerToken(req.headers.authorization));
    if (!user) throw new UnauthorizedException('missing, invalid or expired access token');
    assertAllowed(user, rule);
    const { id } = params.transform({ id: safeDecode(rawId) }, { type: 'param' });
    const accepted = await finalizer.finalize(user, id);
    res.status(202).json(accepted);
  };

  return (req, res, next) => {
    if (req.method !== 'POST') return next();
    const match = ROUTE.exec(req.url);
    if (!match) return next();
    // The request has no body to read; whatever was sent is drained so the connection stays usable.
    req.resume();
    handle(req, res, match[1]).catch((e) => errors.send(e, req, res));
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
