import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { OpenAPIObject, OperationObject, ParameterObject, RequestBodyObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { apiRoutes } from '../../src/common/openapi';
import { openApiSchema, ZodPipe } from '../../src/common/zod';
import { createTestApp, TestApp } from '../support/test-app';

const root = join(__dirname, '../../../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
/** The typed client of the SPA, generated from this document (and checked against the SPA by tsc). */
const CLIENT_TYPES = 'apps/web/src/api/openapi.gen.ts';
const REGENERATE = 'UPDATE_OPENAPI_TYPES=1 node tools/test.mjs --only=integration --db=sqlite -- openapi.int-spec';

const PARTS = { [RouteParamtypes.BODY]: 'body', [RouteParamtypes.QUERY]: 'query', [RouteParamtypes.PARAM]: 'param' } as Record<number, string>;
const joinPath = (...parts: string[]) => `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenAPIObject;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    dir = mkdtempSync(join(tmpdir(), 'vetlab-openapi-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc, null, 2));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('documents every route: summary, answer schema, and inputs from the shared schemas that validate them', () => {
    const problems: string[] = [];
    const routes = apiRoutes(t.app);
    expect(routes.length).toBeGreaterThanOrEqual(36);
    const documented = new Set<string>();
    for (const { controller, handler, operationId } of routes) {
      const verb = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)].toLowerCase();
      const path = joinPath('api', Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler));
      const name = `${verb.toUpperCase()} ${path}`;
      const op = (doc.paths[path] as Record<string, OperationObject> | undefined)?.[verb];
      if (!op || op.operationId !== operationId) {
        problems.push(`${name}: not in the document`);
        continue;
      }
      documented.add(operationId);
      if (!op.summary) problems.push(`${name}: no summary (@ApiOperation)`);

      // The answer: its own status code documented, every 2xx with a schema (204 has no body).
      const status = Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (verb === 'post' ? 201 : 200);
      if (!op.responses[status]) problems.push(`${name}: its status ${status} is not documented (@ApiZodResponse)`);
      for (const [code, res] of Object.entries(op.responses as Record<string, ResponseObject>)) {
        if (!/^2/.test(code) || code === '204') continue;
        if (!Object.values(res.content ?? {}).some((c) => c.schema)) problems.push(`${name}: answer ${code} has no schema`);
      }

      // Inputs: each body, query and path object validated by a ZodPipe and documented from its schema.
      const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {};
      const params = (op.parameters ?? []) as ParameterObject[];
      const namesIn = (place: string) => params.filter((p) => p.in === place).map((p) => p.name).sort();
      const pathNames = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      if (pathNames.length && !Object.keys(args).some((k) => Number(k.split(':')[0]) === RouteParamtypes.PARAM)) {
        problems.push(`${name}: path parameters without @ZodParams`);
      }
      for (const [key, arg] of Object.entries(args as Record<string, { data?: unknown; pipes: unknown[] }>)) {
        const part = PARTS[Number(key.split(':')[0])];
        if (!part) continue;
        const pipe = arg.pipes.find((p): p is ZodPipe<z.ZodType> => p instanceof ZodPipe);
        if (!pipe || arg.data !== undefined) {
          problems.push(`${name}: a ${part} not validated by a shared schema (use Zod${part === 'param' ? 'Params' : part[0].toUpperCase() + part.slice(1)})`);
          continue;
        }
        if (part === 'body') {
          // JSON, or for a raw upload (a signature image) the one schema of its content types.
          const content = (op.requestBody as RequestBodyObject | undefined)?.content ?? {};
          const body = (content['application/json'] ?? Object.values(content)[0])?.schema;
          if (JSON.stringify(body) !== JSON.stringify(openApiSchema(pipe.schema, 'input'))) problems.push(`${name}: body not documented from its schema`);
          continue;
        }
        const keys = pipe.schema instanceof z.ZodObject ? Object.keys(pipe.schema.shape).sort() : null;
        if (!keys) problems.push(`${name}: ${part} schema is not an object`);
        else if (JSON.stringify(namesIn(part === 'param' ? 'path' : 'query')) !== JSON.stringify(keys)) {
          problems.push(`${name}: ${part} parameters documented (${namesIn(part === 'param' ? 'path' : 'query')}) are not its schema's (${keys})`);
        } else if (part === 'param' && JSON.stringify(keys) !== JSON.stringify(pathNames)) problems.push(`${name}: path names ${pathNames}, schema ${keys}`);
      }
      if (op.requestBody && !Object.keys(args).some((k) => Number(k.split(':')[0]) === RouteParamtypes.BODY)) problems.push(`${name}: documents a body it does not read`);
    }
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [verb, op] of Object.entries(item as Record<string, OperationObject>)) {
        if (!documented.has(op.operationId ?? '')) problems.push(`${verb.toUpperCase()} ${path}: documented, but no such route`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents errors as ErrorBody and security as the guard applies it', () => {
    const op = (path: string, verb: string) => (doc.paths[path] as Record<string, OperationObject>)[verb];
    expect(doc.openapi).toBe('3.1.0');
    expect(op('/api/health', 'get').security).toEqual([]);
    expect(op('/api/auth/login', 'post').security).toEqual([]);
    expect(op('/api/auth/refresh', 'post').security).toEqual([{ vetlab_refresh: [] }]);
    expect(op('/api/users', 'get').security).toEqual([{ bearer: [] }]);
    expect(Object.keys(op('/api/users/{id}', 'patch').responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    expect(op('/api/reports/{id}/finalize', 'post').responses[403]).toMatchObject({ description: 'requires a signer' });
    expect((op('/api/protocols', 'get').responses[401] as ResponseObject).content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } },
    });
    expect(Object.keys(op('/api/work-orders/{id}/pdf', 'get').responses)).toEqual(expect.arrayContaining(['200', '202', '304']));
    const types = (path: string) => Object.keys((op(path, 'get').responses[200] as ResponseObject).content ?? {});
    expect(types('/api/work-orders/{id}/pdf')).toEqual(['application/pdf']);
    expect(types('/api/bulk/{id}/items.csv')).toEqual(['text/csv']);
  });

  it('passes the standard linter (redocly, recommended rules) without errors', () => {
    const r = spawnSync(bin('redocly'), ['lint', '--extends=recommended', '--format=json', 'openapi.json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      timeout: 60_000,
    });
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { totals: { errors: number }; problems: { ruleId: string; severity: string; message: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it(`matches the SPA's typed client (${CLIENT_TYPES}, from openapi-typescript)`, () => {
    const out = join(dir, 'openapi.gen.ts');
    const r = spawnSync(bin('openapi-typescript'), [join(dir, 'openapi.json'), '-o', out], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const generated = readFileSync(out, 'utf8');
    if (process.env.UPDATE_OPENAPI_TYPES === '1') writeFileSync(join(root, CLIENT_TYPES), generated);
    const committed = readFileSync(join(root, CLIENT_TYPES), 'utf8');
    if (committed !== generated) throw new Error(`${CLIENT_TYPES} is out of date; regenerate it with ${REGENERATE}`);
  });
});
