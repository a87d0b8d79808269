import type { MikroORM } from '@mikro-orm/core';
import type Redis from 'ioredis';
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import type { RedisDurabilityCheck } from '../redis/redis-durability';
import type { FileStorage } from '../storage/file-storage';
import { HealthService, probe } from './health.service';

function setup(opts: { status?: string; ping?: () => Promise<string>; select?: () => Promise<unknown>; storage?: () => Promise<void>; diskLowFreeBytes?: number } = {}) {
  const redis = Object.assign(new EventEmitter(), { status: opts.status ?? 'ready', ping: jest.fn(opts.ping ?? (async () => 'PONG')) });
  const orm = { em: { getConnection: () => ({ execute: jest.fn(opts.select ?? (async () => [{ 1: 1 }])) }) } };
  const config = {
    role: 'api',
    dataDir: tmpdir(),
    database: { driver: 'sqlite', path: join(tmpdir(), 'x.sqlite') },
    storage: { kind: 's3' },
    diskLowFreeBytes: opts.diskLowFreeBytes ?? 0,
  } as AppConfig;
  const durability = { current: { maxmemoryPolicy: 'noeviction', appendonly: 'yes', save: '', warnings: [] } } as unknown as RedisDurabilityCheck;
  const storage = { kind: 's3', probe: jest.fn(opts.storage ?? (async () => undefined)) } as unknown as FileStorage;
  const sut = new HealthService(orm as unknown as MikroORM, redis as unknown as Redis, config, durability, storage);
  return { sut, redis };
}

describe('probe', () => {
  it('reports latency when the check answers', async () => {
    const r = await probe(async () => 'ok');
    expect(r).toEqual({ ok: true, latencyMs: expect.any(Number) });
  });

  it('reports the error when the check fails', async () => {
    expect(await probe(async () => Promise.reject(new Error('boom')))).toEqual({ ok: false, latencyMs: null, error: 'boom' });
  });

  it('gives up at the deadline instead of hanging', async () => {
    const started = Date.now();
    const r = await probe(() => new Promise(() => undefined), 50);
    expect(r).toEqual({ ok: false, latencyMs: null, error: 'no answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('HealthService', () => {
  it('is ok when the database and Redis answer', async () => {
    const { sut } = setup();
    const view = await sut.check();
    expect(view).toMatchObject({ status: 'ok', role: 'api', database: { ok: true, driver: 'sqlite' }, redis: { ok: true }, storage: { ok: true, kind: 's3' } });
    expect(view.uptimeSeconds).toEqual(expect.any(Number));
    expect(view.disk).toEqual({ freeBytes: expect.any(Number), totalBytes: expect.any(Number), low: false });
  });

  it('reports a low data disk without calling itself down (reading still works)', async () => {
    const view = await setup({ diskLowFreeBytes: Number.MAX_SAFE_INTEGER }).sut.check();
    expect(view).toMatchObject({ status: 'ok', disk: { low: true } });
  });

  it('is down when any dependency fails', async () => {
    const redisDown = await setup({ ping: async () => Promise.reject(new Error("Stream isn't writeable")) }).sut.check();
    expect(redisDown).toMatchObject({ status: 'down', database: { ok: true }, redis: { ok: false, error: "Stream isn't writeable" } });
    const dbDown = await setup({ select: async () => Promise.reject(new Error('SQLITE_BUSY')) }).sut.check();
    expect(dbDown).toMatchObject({ status: 'down', database: { ok: false }, redis: { ok: true } });
    const storageDown = await setup({ storage: async () => Promise.reject(new Error('the file storage (S3) is unavailable')) }).sut.check();
    expect(storageDown).toMatchObject({ status: 'down', database: { ok: true }, redis: { ok: true }, storage: { ok: false, kind: 's3' } });
  });

  it('waits for a reconnecting client to be ready before it pings', async () => {
    const { sut, redis } = setup({ status: 'connecting' });
    const pending = sut.check();
    await new Promise((r) => setTimeout(r, 10));
    expect(redis.ping).not.toHaveBeenCalled();
    redis.status = 'ready';
    redis.emit('ready');
    expect((await pending).redis.ok).toBe(true);
  });

  it('pings (and fails fast) once the client reports a connection error', async () => {
    const { sut, redis } = setup({ status: 'reconnecting', ping: async () => Promise.reject(new Error('Connection is closed.')) });
    const pending = sut.check();
    redis.emit('error', new Error('connect ECONNREFUSED'));
    expect((await pending).redis).toMatchObject({ ok: false, error: 'Connection is closed.' });
  });

  it('gives up on a client that stays silent, leaving no listeners behind', async () => {
    const { sut, redis } = setup({ status: 'connecting', ping: async () => Promise.reject(new Error("Stream isn't writeable")) });
    const view = await sut.check();
    expect(view.redis.ok).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    expect(redis.listenerCount('ready') + redis.listenerCount('error')).toBe(0);
  });
});
