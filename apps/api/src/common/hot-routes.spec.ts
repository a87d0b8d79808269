import { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@vetlab/shared';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Public, Roles, SignerOnly } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { UserLookupService } from '../auth/user-lookup.service';
import { HotRoute, hotRoutes, serveFirst } from './hot-routes';
import { writeJson } from './write-json';

const ID = '4b7c2c4e-8d1a-4f57-9a62-0c1f5a3e9b10';
const users: Record<string, AuthUser> = {
  signer: { id: 'u1', email: 's@lab.test', name: 'S', role: Role.Staff, signer: true, clinicId: null },
  staff: { id: 'u2', email: 't@lab.test', name: 'T', role: Role.Staff, signer: false, clinicId: null },
  vet: { id: 'u3', email: 'v@norte.test', name: 'V', role: Role.Vet, signer: false, clinicId: 'c1' },
};

class ThingsController {
  @SignerOnly()
  sign() {}
  @Roles(Role.Staff, Role.Admin)
  read() {}
  @Public()
  open() {}
}

describe('hotRoutes', () => {
  let server: Server;
  let base: string;
  const handled: { user: AuthUser; id: string; url: string }[] = [];
  const fellThrough: string[] = [];
  const lookup = { fromToken: async (token: string | null) => (token ? (users[token] ?? null) : null) };
  const app = { get: (type: unknown) => (type === UserLookupService ? lookup : new Reflector()) } as unknown as INestApplication;
  const route = (method: HotRoute['method'], suffix: string, controllerMethod: string): HotRoute => ({
    method,
    prefix: 'things',
    suffix,
    controller: { type: ThingsController, method: controllerMethod },
    async handle(user, id, req, res) {
      handled.push({ user, id, url: req.url ?? '' });
      writeJson(res, 202, { id });
    },
  });

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      fellThrough.push(`${req.method} ${req.url}`);
      writeJson(res, 404, { statusCode: 404 });
    });
    serveFirst(server, hotRoutes(app, [route('POST', 'sign', 'sign'), route('GET', 'read', 'read')]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    handled.length = 0;
    fellThrough.length = 0;
  });

  const call = (method: string, path: string, who?: string) =>
    fetch(`${base}${path}`, { method, headers: who ? { authorization: `Bearer ${who}` } : {} });

  it('serves a matching request with the user and the decoded id, query string or not', async () => {
    const res = await call('POST', `/api/things/${ID}/sign?x=1`, 'signer');
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ id: ID });
    expect(handled).toEqual([{ user: users.signer, id: ID, url: `/api/things/${ID}/sign?x=1` }]);
    expect((await call('GET', `/api/things/${ID.toUpperCase()}/read/`, 'vet')).status).toBe(403);
    expect(fellThrough).toEqual([]);
  });

  it('applies the controller method’s own rule, and answers refusals with the error filter’s body', async () => {
    const anonymous = await call('POST', `/api/things/${ID}/sign`);
    expect([anonymous.status, await anonymous.json()]).toEqual([401, { statusCode: 401, error: 'Unauthorized', message: 'missing, invalid or expired access token' }]);
    expect((await call('POST', `/api/things/${ID}/sign`, 'nobody')).status).toBe(401);
    expect(await (await call('POST', `/api/things/${ID}/sign`, 'staff')).json()).toMatchObject({ statusCode: 403, message: 'requires a signer' });
    expect(await (await call('GET', `/api/things/${ID}/read`, 'vet')).json()).toMatchObject({ statusCode: 403, message: 'requires role staff or admin' });
    const bad = await call('GET', '/api/things/not-an-id/read', 'staff');
    expect(bad.status).toBe(400);
    expect((await bad.json()).details).toEqual([{ field: 'param.id', message: 'must be a UUID' }]);
    expect(handled).toEqual([]);
  });

  it('leaves every other request to the listeners behind it', async () => {
    for (const [method, path] of [
      ['GET', `/api/things/${ID}/sign`],
      ['HEAD', `/api/things/${ID}/read`],
      ['POST', `/api/things/${ID}/sign/more`],
      ['POST', `/api/things/${ID}/x/sign`],
      ['POST', `/api/things/${ID}/signature`],
      ['POST', `/things/${ID}/sign`],
    ]) {
      expect([method, path, (await call(method, path, 'signer')).status]).toEqual([method, path, 404]);
    }
    expect(fellThrough).toHaveLength(6);
    expect(handled).toEqual([]);
  });

  it('refuses at start a public route or a controller method that does not exist', () => {
    expect(() => hotRoutes(app, [route('GET', 'open', 'open')])).toThrow(/public routes are not served here/);
    expect(() => hotRoutes(app, [route('GET', 'gone', 'gone')])).toThrow(/ThingsController has no method gone/);
  });
});
