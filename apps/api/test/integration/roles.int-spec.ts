import { MikroORM } from '@mikro-orm/core';
import { INestApplicationContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { HealthView } from '@vetlab/shared';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createWorkerContext } from '../../src/bootstrap';
import { builtApi } from '../support/api-build';
import { HealthController } from '../../src/health/health.controller';
import { createTestApp, createTestEnv, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '../../../..');

/** Runs the entry of this test run's build, with only the environment given, and collects what it prints. */
function runMain(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtApi('main.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('roles', () => {
  describe('worker', () => {
    let ctx: INestApplicationContext | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    afterAll(async () => {
      await ctx?.close();
      await cleanup?.();
    });

    it('boots without HTTP: database migrated, no controllers, no server', async () => {
      const testEnv = await createTestEnv({}, 'worker', { freshDatabase: true });
      cleanup = testEnv.cleanup;
      ctx = await createWorkerContext(testEnv.config);
      await ctx.init();
      const orm = ctx.get(MikroORM);
      expect(await orm.getMigrator().getPendingMigrations()).toEqual([]);
      expect(() => ctx!.get(HealthController, { strict: false })).toThrow();
      expect(ctx.get(HttpAdapterHost, { strict: false })?.httpAdapter).toBeFalsy();
      expect((ctx as Partial<{ getHttpServer: unknown }>).getHttpServer).toBeUndefined();
    });
  });

  describe('api', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({}, 'api');
    });
    afterAll(() => t?.close());

    it('serves health as the api role', async () => {
      const res = await t.http().get('/api/health').expect(200);
      expect((res.body as HealthView).role).toBe('api');
    });
  });

  describe('main entry', () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ env, cleanup } = await createTestEnv());
    });
    afterAll(() => cleanup?.());

    it('refuses an unknown role with a clear message', async () => {
      const r = await runMain(['serve', '--role=bogus'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--role must be api, worker or all \(got bogus\)/);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    });

    it('stops on a bad variable, naming it', async () => {
      const r = await runMain(['serve'], { ...env, PORT: 'abc' });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Invalid configuration:\n\s+PORT: /);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    });

    it('refuses an unknown seed profile', async () => {
      const r = await runMain(['seed', '--profile=huge'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/--profile must be demo, bench or decade \(got huge\)/);
    });
  });
});
