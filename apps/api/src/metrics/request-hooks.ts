import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { AsyncResource } from 'node:async_hooks';
import { requestIdFrom, runWithLogContext } from '../logging/log-context';
import { Metrics } from './metrics.service';
import { routeLabel, statusClass } from './route-label';

const SCOPE = Symbol('vetlab.requestScope');
type Scoped = FastifyRequest & { [SCOPE]?: AsyncResource };

/**
 * Fastify hooks every request passes (Nest's routes, the SPA's files, the 404s): its request id
 * (X-Request-Id when sane, else a new one, echoed in the response) in the log context for all the
 * code that serves it, and its duration in the HTTP histogram under its route's pattern.
 *
 * The context is entered in onRequest and entered again in preValidation: reading the body runs
 * on the socket's own callbacks, outside it, so the rest of the request resumes from the scope
 * captured at its start.
 */
export function useRequestHooks(app: NestFastifyApplication): void {
  const metrics = app.get(Metrics);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (req, reply, done) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    reply.header('X-Request-Id', requestId);
    runWithLogContext({ requestId }, () => {
      (req as Scoped)[SCOPE] = new AsyncResource('vetlab.request');
      done();
    });
  });
  fastify.addHook('preValidation', (req, _reply, done) => {
    const scope = (req as Scoped)[SCOPE];
    if (scope) scope.runInAsyncScope(done);
    else done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    metrics.httpRequest(routeLabel(req.routeOptions.url), req.method, statusClass(reply.statusCode), reply.elapsedTime / 1000);
    done();
  });
}
