import { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IdParams } from '@vetlab/shared';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AuthUser } from '../auth/auth-user';
import { accessRuleOf, authenticate } from '../auth/jwt-auth.guard';
import { UserLookupService } from '../auth/user-lookup.service';
import { HttpExceptionFilter } from './http-exception.filter';
import { ZodPipe } from './zod';

/**
 * A route answered ahead of Express and Nest: `/api/<prefix>/:id/<suffix>`, one method,
 * one id, a token required. Its controller method stays where it is: it documents the route in
 * OpenAPI, and its decorators (@Roles, @SignerOnly, on the method or its class) are the access rule
 * read here, so the two can never disagree.
 */
export interface HotRoute {
  method: 'GET' | 'POST';
  /** The path around the id, e.g. `reports` and `finalize` for `/api/reports/:id/finalize`. */
  prefix: string;
  suffix: string;
  /** The controller class and method name that serve the same route through Nest. */
  controller: { type: abstract new (...args: never[]) => object; method: string };
  /** Node's own request and response: nothing of Express's is set up for these. */
  handle(user: AuthUser, id: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * The few requests that arrive in bursts or by the thousand (twenty signers finalizing at once, a
 * clinic's vets opening cached PDFs) are answered by the HTTP server's first request listener,
 * before Express (its router, body and cookie parsing), the ORM's request context and Nest's guard,
 * pipes and interceptors. Under such load one event loop answers everybody in turn, so each
 * request's fixed cost is paid by all who wait behind it; for these routes that pipeline cost more
 * than the work itself, and its per-request objects lived long enough to be promoted by the garbage
 * collector, whose pauses then made the slowest answers.
 *
 * The steps are the ones every route takes, with the same parts:
 * - the token, the user and the access rule: the global JwtAuthGuard's accessRuleOf (the controller
 *   method's own decorators) and authenticate (UserLookupService, then the rule);
 * - the id: the shared IdParams schema through the same ZodPipe (a 400 that names `param.id`);
 * - errors: HttpExceptionFilter's ErrorBody.
 * Anything else (another method on the same path, a HEAD, a longer path) falls through to Nest.
 * Handlers get no ORM request context: they use FastSql or fork their own entity manager.
 */
export function hotRoutes(app: INestApplication, routes: HotRoute[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const users = app.get(UserLookupService, { strict: false });
  const reflector = app.get(Reflector);
  const params = new ZodPipe(IdParams, 'param');
  const errors = new HttpExceptionFilter();

  const table = routes.map((route) => {
    const name = `${route.method} /api/${route.prefix}/:id/${route.suffix}`;
    const handler = (route.controller.type.prototype as Record<string, unknown>)[route.controller.method];
    if (typeof handler !== 'function') throw new Error(`hot route ${name}: ${route.controller.type.name} has no method ${route.controller.method}`);
    const { isPublic, ...rule } = accessRuleOf(reflector, handler, route.controller.type);
    // Every hot route is one a person's token opens; a public one would need no front at all.
    if (isPublic) throw new Error(`hot route ${name}: public routes are not served here`);
    return { route, rule, pattern: new RegExp(`^/api/${escape(route.prefix)}/([^/?#]+)/${escape(route.suffix)}/?(?:\\?.*)?$`) };
  });

  const serve = async (entry: (typeof table)[number], rawId: string, req: IncomingMessage, res: ServerResponse) => {
    const user = await authenticate(users, req.headers.authorization, entry.rule);
    const { id } = params.transform({ id: safeDecode(rawId) }, { type: 'param' });
    await entry.route.handle(user, id, req, res);
  };

  /** True when the request was one of the hot routes' (and is being answered). */
  return (req, res) => {
    for (const entry of table) {
      if (req.method !== entry.route.method) continue;
      const match = entry.pattern.exec(req.url ?? '');
      if (!match) continue;
      // None of these routes reads a body; whatever was sent is drained so the connection stays usable.
      req.resume();
      serve(entry, match[1], req, res).catch((e) => errors.send(e, req, res));
      return true;
    }
    return false;
  };
}

/**
 * Puts `first` ahead of the server's request listeners (Express's): what it does not take goes on
 * to them. Installed before socket.io attaches, which then keeps its own path in front of both.
 */
export function serveFirst(server: Server, first: (req: IncomingMessage, res: ServerResponse) => boolean): void {
  const rest = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (first(req, res)) return;
    for (const listener of rest) listener.call(server, req, res);
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
