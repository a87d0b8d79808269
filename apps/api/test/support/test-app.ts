import { EntityManager, MikroORM } from '@mikro-orm/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createHttpApp } from '../../src/bootstrap';
import { AppConfig, AppRole, loadConfig } from '../../src/config/app-config';
import { copySqliteTemplate, pgTemplate } from './db-template';
import { TEST_PG_URL, TEST_REDIS_URL, testDriver, withPgAdmin } from './services';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The environment the config was read from (to start another process of the same deployment). */
  env: Record<string, string>;
  /** Base URL of the listening server (for socket.io clients). */
  url: string;
  http: () => ReturnType<typeof request>;
  orm: MikroORM;
  /** A fresh fork for direct database reads and writes in a test. */
  em: () => EntityManager;
  close: () => Promise<void>;
}

/** A throwaway database of the suite's driver, and a Redis prefix no other test file uses. */
export interface TestEnvOptions {
  /** Rewrites the PostgreSQL URL the app gets (e.g. through a TcpProxy the test cuts). */
  databaseUrl?: (url: string) => string;
  /** An empty database, which the app migrates as it boots (tests of migrating); else a copy of the run's migrated template. */
  freshDatabase?: boolean;
  /** The data folder (DATA_DIR) to use, made and removed by the test (e.g. a small tmpfs); else a new temporary folder. */
  dataDir?: string;
  /** PostgreSQL: the tablespace the database is made in (a small disk the test fills, see smallTablespace). */
  pgTablespace?: string;
}

export async function createTestEnv(extraEnv: Record<string, string> = {}, role: AppRole = 'all', opts: TestEnvOptions = {}) {
  const id = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'vetlab-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `vt-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PASSWORD_HASH_COST: 'low',
    LOGIN_RATE_LIMIT: '1000',
    LOG_LEVEL: 'error',
    // Many test apps and worker processes share one PostgreSQL server: a few connections each.
    DATABASE_POOL_SIZE: '3',
    // One throwaway render per thread is enough for tests (production warms up more), and a test
    // app starts its threads only if it renders: a third of them never do (~2 s of CPU each).
    RENDER_WARM_UP_RENDERS: '1',
    RENDER_START: 'first-render',
    WEB_DIST: join(dir, 'no-web'),
    PORT: '0',
    // supertest talks from loopback; specs that act as clients behind a proxy send X-Forwarded-For.
    TRUST_PROXY: 'loopback',
    ...extraEnv,
  };
  let dropDb = async () => undefined as void;
  if (testDriver() === 'postgresql') {
    const template = opts.freshDatabase ? undefined : pgTemplate();
    await withPgAdmin((admin) => admin.query(`CREATE DATABASE ${id}${template ? ` TEMPLATE ${template}` : ''}${opts.pgTablespace ? ` TABLESPACE ${opts.pgTablespace}` : ''}`));
    const url = new URL(TEST_PG_URL);
    url.pathname = `/${id}`;
    env.DATABASE_URL = opts.databaseUrl ? opts.databaseUrl(url.toString()) : url.toString();
    dropDb = async () => {
      await withPgAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`));
    };
  } else if (!opts.freshDatabase) {
    copySqliteTemplate(dir);
  }
  const config = loadConfig(env, role);
  const cleanup = async () => {
    await dropDb().catch(() => undefined);
    await deleteRedisPrefix(config.redis.prefix).catch(() => undefined);
    if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
  };
  return { config, env, dir, cleanup };
}

export async function createTestApp(extraEnv: Record<string, string> = {}, role: AppRole = 'all', opts: TestEnvOptions = {}): Promise<TestApp> {
  return startTestApp(await createTestEnv(extraEnv, role, opts));
}

/** An app on an environment made by createTestEnv (and prepared by the test); closing it cleans the environment up. */
export async function startTestApp({ config, env, cleanup }: Pick<Awaited<ReturnType<typeof createTestEnv>>, 'config' | 'env' | 'cleanup'>): Promise<TestApp> {
  const app = await createHttpApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const orm = app.get(MikroORM);
  return {
    app,
    config,
    env,
    url,
    http: () => request(app.getHttpServer()),
    orm,
    em: () => orm.em.fork(),
    close: async () => {
      await app.close();
      await cleanup();
    },
  };
}

async function deleteRedisPrefix(prefix: string) {
  const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}
