import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { installGracefulShutdown } from './common/graceful-shutdown';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { setupOpenApi } from './common/openapi';
import { useSecurityHeaders } from './common/security-headers';
import { AppConfig } from './config/app-config';
import { SECURE_COOKIES } from './auth/session-cookie';
import { createAppLogger } from './logging/app-logger';
import { useRequestHooks } from './metrics/request-hooks';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { registerImageBodyParser } from './signatures/signature-body';

/**
 * The HTTP application (roles api and all) on Nest's Fastify adapter: REST under /api, socket.io,
 * OpenAPI, and the SPA. Every request goes through Nest (guard, pipes, interceptors, the exception
 * filter) or, for the SPA's files, through Fastify's static plugin; both get the security headers.
 */
export async function createHttpApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Bulk requests carry up to 10,000 ids; everything else is small.
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For and -Proto are believed only from the proxies TRUST_PROXY names (none by default).
    trustProxy: config.trustProxy,
  });
  // In production the refresh cookie is Secure whatever the request looked like (see session-cookie.ts).
  adapter.getInstance().decorate(SECURE_COOKIES, config.env === 'production');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: createAppLogger(config),
  });
  useRequestHooks(app);
  useSecurityHeaders(app);
  await app.register(fastifyCookie);
  registerImageBodyParser(app);
  app.setGlobalPrefix('api');
  const index = await serveSpa(app, config);
  app.useGlobalFilters(new HttpExceptionFilter(index));
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));

  setupOpenApi(app, config);
  return app;
}

/**
 * The built SPA from the same port: the build's files, listed once at start (a request is served
 * only a file that is there; no path from the URL reaches the disk otherwise). Client-side routes
 * are answered index.html by the exception filter, for a GET outside /api that no route took.
 * Returns the index's path, or null when there is no build.
 */
async function serveSpa(app: NestFastifyApplication, config: AppConfig): Promise<string | null> {
  const index = join(config.webDist, 'index.html');
  if (!existsSync(index)) {
    new Logger('Web').warn(`no SPA build at ${config.webDist}; run npm run build to serve it`);
    return null;
  }
  await app.register(fastifyStatic, {
    root: config.webDist,
    wildcard: false,
    index: false,
    allowedPath: (path) => path !== '/index.html',
    dotfiles: 'deny',
    // Vite puts a content hash in every name under /assets: those never change.
    setHeaders: (reply, path) => {
      const hashed = path.startsWith(join(config.webDist, 'assets'));
      reply.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
    },
    cacheControl: false,
    etag: true,
    // The build writes .br and .gz copies of its text files (apps/web/precompress.ts): a browser
    // that accepts one gets it as it is, with `Vary: Accept-Encoding`; nothing is compressed per request.
    preCompressed: true,
  });
  return index;
}

/** The worker role: no HTTP, only queue processors and the event emitter. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: createAppLogger(config),
  });
  return ctx;
}

/**
 * A worker process yields the CPU to API processes on the same machine: background work may wait a
 * few milliseconds, a person's request should not. Linux gives each thread its own nice value and a
 * new thread inherits its creator's, so lowering this thread covers every thread it starts later
 * (render threads then set their own, `RENDER_NICE`). The threads Node started before any of our
 * code ran (V8's helpers, which compile and collect for the render threads too, and libuv's pool)
 * are lowered one by one, by their ids in /proc/self/task; elsewhere than Linux only this thread is.
 */
function lowerWorkerPriority(nice: number, log: Logger) {
  if (nice <= 0) return;
  try {
    setPriority(nice);
  } catch (e) {
    log.warn(`could not lower the worker's priority: ${(e as Error).message}`);
    return;
  }
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return; // no /proc: not Linux
  }
  for (const tid of threads.map(Number)) {
    try {
      if (getPriority(tid) < nice) setPriority(tid, nice);
    } catch {
      // the thread ended meanwhile
    }
  }
}

export async function start(config: AppConfig): Promise<INestApplication | INestApplicationContext> {
  const log = new Logger('vetlab');
  if (config.role === 'worker') {
    lowerWorkerPriority(config.workerNice, log);
    const ctx = await createWorkerContext(config);
    await ctx.init();
    installGracefulShutdown(ctx, config);
    log.log('worker started');
    return ctx;
  }
  const app = await createHttpApp(config);
  await app.listen(config.port, config.host);
  installGracefulShutdown(app, config);
  log.log(`${config.role === 'all' ? 'API + worker' : 'API'} listening on http://${config.host}:${config.port}`);
  return app;
}
