import type { LoginResponse } from '@vetlab/shared';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './api-client';

const user: LoginResponse['user'] = { id: 'u1', email: 'ana@lab.test', name: 'Ana', role: 'staff', signer: false, clinic: null };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A fetch double answering by "METHOD path"; records every call with its Authorization header. */
function fakeFetch(routes: Record<string, (auth: string | null) => Response>) {
  const calls: { key: string; auth: string | null; credentials?: RequestCredentials }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`;
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? null;
    calls.push({ key, auth, credentials: init?.credentials });
    const route = routes[key];
    if (!route) throw new Error(`unexpected ${key}`);
    return route(auth);
  });
  return { fn: fn as unknown as typeof fetch, calls };
}

const login = (token: string) => () => json(200, { accessToken: token, expiresIn: 900, user });

describe('ApiClient', () => {
  it('logs in with the cookie credentials and sends the token afterwards', async () => {
    const f = fakeFetch({
      'POST /api/auth/login': login('t1'),
      'GET /api/protocols?page=2&pageSize=25': () => json(200, { items: [], total: 0, page: 2, pageSize: 25 }),
    });
    const client = new ApiClient(f.fn);
    await client.login({ email: 'ana@lab.test', password: 'x' });
    await client.get('/protocols', { page: 2, pageSize: 25, q: undefined });
    expect(f.calls.map((c) => c.credentials)).toEqual(['include', 'include']);
    expect(f.calls[1].auth).toBe('Bearer t1');
    expect(client.current?.user.name).toBe('Ana');
  });

  it('on a 401 refreshes once, shared by concurrent requests, and retries with the new token', async () => {
    const f = fakeFetch({
      'POST /api/auth/login': login('old'),
      'POST /api/auth/refresh': login('new'),
      'GET /api/protocols': (auth) =>
        auth === 'Bearer new' ? json(200, { items: [], total: 0, page: 1, pageSize: 25 }) : json(401, { message: 'expired' }),
    });
    const client = new ApiClient(f.fn);
    await client.login({ email: 'ana@lab.test', password: 'x' });
    await Promise.all([client.get('/protocols'), client.get('/protocols')]);
    expect(f.calls.filter((c) => c.key === 'POST /api/auth/refresh')).toHaveLength(1);
    expect(client.token).toBe('new');
  });

  it('ends the session and surfaces the 401 when the refresh cookie is no longer valid', async () => {
    const f = fakeFetch({
      'POST /api/auth/login': login('old'),
      'POST /api/auth/refresh': () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'no session' }),
      'GET /api/protocols': () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'expired' }),
    });
    const client = new ApiClient(f.fn);
    const seen = vi.fn();
    client.subscribe(seen);
    await client.login({ email: 'ana@lab.test', password: 'x' });
    const err = await client.get('/protocols').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect(client.current).toBeNull();
    expect(seen).toHaveBeenLastCalledWith(null);
  });

  it('keeps the session when the server cannot refresh now (503 DISK_FULL), surfaces why, and refreshes again on the next request', async () => {
    let full = true;
    const f = fakeFetch({
      'POST /api/auth/login': login('old'),
      'POST /api/auth/refresh': () =>
        full ? json(503, { statusCode: 503, error: 'Service Unavailable', message: "the server's disk is full", code: 'DISK_FULL' }) : login('new')(),
      'GET /api/protocols': (auth) => (auth === 'Bearer new' ? json(200, { items: [], total: 0, page: 1, pageSize: 25 }) : json(401, { message: 'expired' })),
    });
    const client = new ApiClient(f.fn);
    await client.login({ email: 'ana@lab.test', password: 'x' });
    const err = await client.get('/protocols').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).status, (err as ApiError).body?.code]).toEqual([503, 'DISK_FULL']);
    expect(client.current?.user.name).toBe('Ana');
    expect(await client.refresh().catch((e: unknown) => (e as ApiError).status)).toBe(503);
    full = false;
    await client.get('/protocols');
    expect(client.token).toBe('new');
  });

  it('does not try to refresh when a login is refused', async () => {
    const f = fakeFetch({ 'POST /api/auth/login': () => json(401, { message: 'bad credentials' }) });
    const client = new ApiClient(f.fn);
    await expect(client.login({ email: 'ana@lab.test', password: 'x' })).rejects.toMatchObject({ status: 401 });
    expect(f.calls).toHaveLength(1);
  });
});
