import { Controller, Get, INestApplication, Injectable, Module, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiExcludeController, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody, Role } from '@vetlab/shared';
import { Roles } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { accessRuleOf } from '../auth/jwt-auth.guard';
import { REFRESH_COOKIE } from '../auth/session-cookie';
import { openApiComponents, openApiSchema } from './zod';

/** A controller method with an HTTP route, under the operationId Swagger gives it. */
export interface ApiRoute {
  operationId: string;
  controller: Type;
  handler: (...args: unknown[]) => unknown;
}

/** Every route of the application, from Nest's own metadata (what the router is built from). */
export function apiRoutes(app: INestApplication): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        routes.push({ operationId: `${controller.name}_${name}`, controller, handler });
      }
    }
  }
  return routes;
}

/**
 * The OpenAPI 3.1 document. Bodies, parameters and answers come from the decorators of common/zod.ts;
 * here what every route shares: its security from @Public/@Roles/@SignerOnly (the guard's own rule)
 * and its error answers, all an ErrorBody.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('vetlab API')
    .setVersion('1')
    .setOpenAPIVersion('3.1.0')
    .addServer('/')
    .addBearerAuth()
    .addCookieAuth(REFRESH_COOKIE, { type: 'apiKey', in: 'cookie', description: 'refresh token (httpOnly, path /api/auth)' }, REFRESH_COOKIE)
    .build();
  const doc = SwaggerModule.createDocument(app, config);
  const error = (description: string) => ({ description, content: { 'application/json': { schema: openApiSchema(ErrorBody, 'output') } } });
  const reflector = app.get(Reflector);
  const rules = new Map(apiRoutes(app).map((r) => [r.operationId, accessRuleOf(reflector, r.handler, r.controller)]));
  for (const item of Object.values(doc.paths)) {
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      const rule = op && rules.get(op.operationId ?? '');
      if (!op || !rule) continue;
      op.security = rule.isPublic ? (op.security ?? []) : [{ bearer: [] }];
      const params = op.parameters ?? [];
      const errors = {
        ...(params.length || op.requestBody ? { 400: error('invalid input; `details` names each bad field') } : {}),
        ...(rule.isPublic ? {} : { 401: error('no valid access token') }),
        ...(rule.roles || rule.signerOnly ? { 403: error(rule.roles ? `requires role ${rule.roles.join(' or ')}` : 'requires a signer') } : {}),
        ...(params.some((p) => 'in' in p && p.in === 'path') ? { 404: error('not found, or not visible to this user') } : {}),
        ...(rule.hiddenFrom ? { 404: error(`not found: the route is hidden from role ${rule.hiddenFrom.join(' and ')}`) } : {}),
      };
      // A route's own description of an error wins.
      op.responses = { ...op.responses, ...errors, ...op.responses };
    }
  }
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...openApiComponents } };
  return doc;
}

/**
 * The document (production: served by AdminDocsController), built on its first request: building it
 * walks every route and schema, ~0.1 s of CPU that a process which never serves it (most of them)
 * does not spend at start.
 */
@Injectable()
export class OpenApiDocumentHolder {
  private build: (() => OpenAPIObject) | null = null;
  private built: OpenAPIObject | null = null;

  /** Called once the application's routes are known. */
  buildWith(build: () => OpenAPIObject): void {
    this.build = build;
  }

  get document(): OpenAPIObject | null {
    if (!this.built && this.build) this.built = this.build();
    return this.built;
  }
}

/**
 * Production: the document for admins only (a bearer token), through Nest's guard like every
 * route; no Swagger UI page (a browser sends no bearer token with a page's assets).
 */
@ApiExcludeController()
@Roles(Role.Admin)
@Controller('docs')
export class AdminDocsController {
  constructor(private readonly holder: OpenApiDocumentHolder) {}

  @Get(['', 'openapi.json'])
  document(): OpenAPIObject | null {
    return this.holder.document;
  }
}

@Module({ controllers: [AdminDocsController], providers: [OpenApiDocumentHolder], exports: [OpenApiDocumentHolder] })
export class AdminDocsModule {}

/**
 * Outside production: Swagger UI at /api/docs, the document at /api/docs/openapi.json, for anybody.
 * In production: the document at both, for admins (AdminDocsModule, which AppModule adds there).
 */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  if (config.env === 'production') {
    app.get(OpenApiDocumentHolder).buildWith(() => buildOpenApiDocument(app));
    return;
  }
  // A factory: Swagger builds the document on the first request for it or its UI page.
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs/openapi.json' });
}
