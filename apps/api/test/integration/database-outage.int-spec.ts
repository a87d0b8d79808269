import { MikroORM } from '@mikro-orm/core';
import { ErrorBody, UnavailableCode } from '@vetlab/shared';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { mikroOrmOptions } from '../../src/database/mikro-orm.config';
import { bearer, cookieHeader, refreshCookie, tokenFor } from '../support/auth';
import { Fixtures, PASSWORD, seedFixtures } from '../support/fixtures';
import { protocolBody, submitProtocol } from '../support/protocols';
import { testDriver } from '../support/services';
import { startTcpProxy, TcpProxy } from '../support/tcp-proxy';
import { waitUntil } from '../support/wait';
import { createTestApp, TestApp } from '../support/test-app';

/** The request's answer and how long it took. */
async function timed(request: () => PromiseLike<Response>) {
  const started = Date.now();
  const res = await request();
  return { res, ms: Date.now() - started };
}

function expectUnavailable(res: Response, code: UnavailableCode) {
  expect([res.status, (res.body as ErrorBody).code]).toEqual([503, code]);
  expect((res.body as ErrorBody).message).toMatch(/database/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

/**
 * PostgreSQL behind a TCP proxy the test cuts (connections dropped, new ones refused) and hangs
 * (connections open, nothing passes): reads and writes answer 503 naming the database, bounded by
 * the acquire and statement timeouts, and work again once it is restored.
 */
(testDriver() === 'postgresql' ? describe : describe.skip)('PostgreSQL only: the database cut or silent answers 503, never 500', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let f: Fixtures;
  let token: string;
  let protocolId: string;

  beforeAll(async () => {
    proxy = await startTcpProxy('127.0.0.1', 5432);
    t = await createTestApp({ DATABASE_ACQUIRE_TIMEOUT_MS: '500', DATABASE_STATEMENT_TIMEOUT_MS: '500' }, 'api', { databaseUrl: (u) => proxy.via(u) });
    f = await seedFixtures(t.em());
    token = await tokenFor(t, f.vetA);
    protocolId = (await submitProtocol(t, token, protocolBody(f))).id;
  }, 60_000);

  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  const routes = () => [
    () => t.http().get('/api/protocols').set(bearer(token)),
    () => t.http().get(`/api/protocols/${protocolId}`).set(bearer(token)),
    () => t.http().post('/api/protocols').set(bearer(token)).send(protocolBody(f)),
  ];

  const allSucceed = async () => {
    for (const route of routes()) expect([200, 201]).toContain((await route()).status);
  };

  it('cut: a list, a detail and a write answer 503 within a second; restored: 200 again', async () => {
    await allSucceed();
    proxy.cut();
    for (const route of routes()) {
      const { res, ms } = await timed(route);
      expectUnavailable(res, UnavailableCode.Database);
      expect(ms).toBeLessThan(1000);
    }
    expect((await t.http().get('/api/health')).status).toBe(503);
    proxy.restore();
    await allSucceed();
  });

  it('cut: a refresh answers 503 and keeps its cookie (the session is not ended by an outage); restored: the same cookie refreshes', async () => {
    const login = await t.http().post('/api/auth/login').send({ email: f.staff.email, password: PASSWORD }).expect(200);
    const cookie = refreshCookie(login)!.value;
    proxy.cut();
    const during = await t.http().post('/api/auth/refresh').set('Cookie', cookieHeader(cookie));
    expectUnavailable(during, UnavailableCode.Database);
    expect(refreshCookie(during)).toBeNull();
    proxy.restore();
    await waitUntil(async () => (await t.http().post('/api/auth/refresh').set('Cookie', cookieHeader(cookie))).status === 200, {
      ms: 10_000,
      every: 200,
      what: 'the same refresh cookie accepted once the database is back',
    });
  });

  it("a rotation the database cannot finish (the new token's insert waits past the statement timeout): 503, and the token is not burnt", async () => {
    const login = await t.http().post('/api/auth/login').send({ email: f.staff.email, password: PASSWORD }).expect(200);
    const cookie = refreshCookie(login)!.value;
    const refresh = () => t.http().post('/api/auth/refresh').set('Cookie', cookieHeader(cookie));
    // Another session holds the person's row: the new token's foreign-key check waits for it (past
    // the 500 ms statement timeout); claiming the old token, an update of its own row, does not.
    const other = new Client({ connectionString: t.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from users where id = $1 for update', [f.staff.id]);
      expectUnavailable(await refresh(), UnavailableCode.Database);
    } finally {
      await other.query('rollback').catch(() => undefined);
      await other.end();
    }
    // The claim went back with the insert: the same cookie is still good.
    await refresh().expect(200);
  });

  it('silent (packets go nowhere): answers are bounded by the acquire and statement timeouts, then 200 again once restored', async () => {
    proxy.hang();
    for (const route of routes()) {
      const { res, ms } = await timed(route);
      expectUnavailable(res, UnavailableCode.Database);
      // Statement timeout 500 ms, the client's wait 500 ms more, the acquire timeout 500 ms.
      expect(ms).toBeLessThan(3000);
    }
    proxy.restore();
    // Connections whose answer was lost in the partition are dropped, not reused: within a few
    // seconds every route answers again, and meanwhile an answer is a 503, never a 500.
    await waitUntil(
      async () => {
        const statuses = await Promise.all(routes().map(async (route) => (await route()).status));
        expect(statuses.every((s) => [200, 201, 503].includes(s))).toBe(true);
        return statuses.every((s) => s === 200 || s === 201);
      },
      { ms: 10_000, every: 200, what: 'every route answering again' },
    );
    await allSucceed();
  });
});

/**
 * SQLite with another connection (a second process would do the same) holding the write lock:
 * a write waits SQLite's busy timeout, then answers 503, never 500; released, it works.
 */
(testDriver() === 'sqlite' ? describe : describe.skip)('SQLite only: a database locked by another connection answers 503', () => {
  let t: TestApp;
  let f: Fixtures;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({}, 'api');
    f = await seedFixtures(t.em());
    token = await tokenFor(t, f.vetA);
  }, 60_000);

  afterAll(() => t?.close());

  it('a write while another connection holds BEGIN IMMEDIATE: 503 DATABASE_BUSY; released: 201', async () => {
    // A connection of its own on the same file (SQLite's pool is one connection), as another process has.
    const other = await MikroORM.init(mikroOrmOptions(t.config.database));
    const lock = other.em.getConnection();
    try {
      await lock.execute('begin immediate');
      const res = await t.http().post('/api/protocols').set(bearer(token)).send(protocolBody(f));
      expectUnavailable(res, UnavailableCode.DatabaseBusy);
      // Reads go on meanwhile (write-ahead log).
      expect((await t.http().get('/api/protocols').set(bearer(token))).status).toBe(200);
      await lock.execute('rollback');
      await t.http().post('/api/protocols').set(bearer(token)).send(protocolBody(f)).expect(201);
    } finally {
      await other.close(true);
    }
  }, 60_000);
});
