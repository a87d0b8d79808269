import { INestApplication, INestApplicationContext, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, relative, sep } from 'node:path';
import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { hotRoutes, serveFirst } from './common/hot-routes';
import { AppConfig } from './config/app-config';
import { RedisIoAdapter } from './realtime/redis-io.adapter';
import { finalizeHotRoute } from './reports/finalize/finalize-hot-route';
import { workOrderPdfHotRoute } from './work-orders/pdf/work-order-pdf-hot-route';

const LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const levelsFrom = (level: string) => LEVELS.slice(0, LEVELS.indexOf(level as LogLevel) + 1);

/** The HTTP application (roles api and all): REST under /api, socket.io, OpenAPI, and the SPA. */
export async function createHttpApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: levelsFrom(config.logLevel),
    bodyParser: false,
  });
  configureHttpApp(app, config);
  return app;
}

export function configureHttpApp(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // No hash of every JSON answer: API data changes under the client anyway, and the PDF routes set
  // their own ETag (the file's SHA-256).
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  // Ahead of Express: the requests that come in bursts or by the thousand.
  serveFirst(app.getHttpServer(), hotRoutes(app, [finalizeHotRoute(app), workOrderPdfHotRoute(app)]));
  // Bulk requests carry up to 10,000 ids; everything else is small.
  app.useBodyParser('json', { limit: '1mb' });
  app.use(cookieParser());
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useWebSocketAdapter(new RedisIoAdapter(app, config));
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('vetlab API').setVersion('1').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });

  serveSpa(app, config);
}

/** The built SPA from the same port: static files, and index.html for client-side routes. */
function serveSpa(app: NestExpressApplication, config: AppConfig) {
  const index = join(config.webDist, 'index.html');
  if (!existsSync(index)) {
    new Logger('Web').warn(`no SPA build at ${config.webDist}; run npm run build to serve it`);
    return;
  }
  // The build's files, listed once: a request is served only a file that is there (no path from
  // the URL reaches the disk otherwise), and API requests never cost a file-system lookup.
  const files = new Set(listFiles(config.webDist).map((f) => `/${relative(config.webDist, f).split(sep).join('/')}`));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
    if (files.has(req.path) && req.path !== '/index.html') {
      // Vite puts a content hash in every name under /assets: those never change.
      const hashed = req.path.startsWith('/assets/');
      return res.sendFile(join(config.webDist, req.path), { maxAge: hashed ? '365d' : '1h', immutable: hashed, dotfiles: 'deny' });
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}

/** The worker role: no HTTP, only queue processors and the event emitter. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: levelsFrom(config.logLevel),
  });
  ctx.enableShutdownHooks();
  return ctx;
}

/**
 * A worker process yields the CPU to API processes on the same machine: background work may wait a
 * few milliseconds, a person's request should not. Linux gives each thread its own nice value and
 * new threads inherit it, so this is set before any thread starts (render threads then go lower).
 */
function lowerWorkerPriority(nice: number, log: Logger) {
  if (nice <= 0) return;
  try {
    setPriority(nice);
  } catch (e) {
    log.warn(`could not lower the worker's priority: ${(e as Error).message}`);
  }
}

export async function start(config: AppConfig): Promise<INestApplication | INestApplicationContext> {
  const log = new Logger('vetlab');
  if (config.role === 'worker') {
    lowerWorkerPriority(config.workerNice, log);
    const ctx = await createWorkerContext(config);
    await ctx.init();
    log.log('worker started');
    return ctx;
  }
  const app = await createHttpApp(config);
  await app.listen(config.port, config.host);
  log.log(`${config.role === 'all' ? 'API + worker' : 'API'} listening on http://${config.host}:${config.port}`);
  return app;
}
