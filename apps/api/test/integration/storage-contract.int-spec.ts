import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../../src/config/app-config';
import { CachedFileStorage } from '../../src/storage/cached-file-storage';
import { createFileStorage } from '../../src/storage/create-file-storage';
import type { FileStorage } from '../../src/storage/file-storage';
import { LocalFileStorage } from '../../src/storage/local-file-storage';
import { S3FileStorage } from '../../src/storage/s3-file-storage';
import { InvalidStorageKeyError } from '../../src/storage/storage-key';
import { startS3, TestS3 } from '../support/s3-server';

jest.setTimeout(60_000);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The same cases against every storage: what callers may count on, whichever is configured. */
const kinds: { name: string; make: () => FileStorage }[] = [];
let s3: TestS3;
/** A server that ignores `If-None-Match` on puts: creates fall back to HEAD-then-put. */
let plainS3: TestS3;
let dir: string;

beforeAll(async () => {
  [s3, plainS3] = await Promise.all([startS3(), startS3({ conditionalWrites: false })]);
  dir = mkdtempSync(join(tmpdir(), 'vetlab-contract-'));
});
afterAll(async () => {
  await Promise.all([s3?.close(), plainS3?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const local = () => new LocalFileStorage(join(dir, randomBytes(4).toString('hex')));
const bucket = (server = s3, prefix = `contract/${randomBytes(4).toString('hex')}`) => {
  const env = { ...server.env(prefix), DATA_DIR: dir, JWT_SECRET: 'x'.repeat(32) };
  return createFileStorage(loadConfig(env));
};
kinds.push(
  { name: 'local folder', make: local },
  { name: 'S3 bucket', make: () => bucket() },
  { name: 'S3 bucket on a server without conditional writes', make: () => bucket(plainS3) },
);

describe.each(kinds)('FileStorage contract: $name', ({ make }) => {
  let sut: FileStorage;
  beforeAll(() => (sut = make()));
  afterAll(() => sut.close?.());

  it('puts, stats, opens the exact bytes as a stream, tells existence, removes (a missing key: null / false, remove ignores it)', async () => {
    const data = randomBytes(70_000);
    expect(await sut.put('reports/a/v1.pdf', data)).toEqual({ key: 'reports/a/v1.pdf', sha256: sha(data), size: data.length });
    const st = await sut.stat('reports/a/v1.pdf');
    expect(st?.size).toBe(data.length);
    expect(Math.abs(st!.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    const file = await sut.open('reports/a/v1.pdf');
    expect(file?.size).toBe(data.length);
    expect(file?.stream).toBeInstanceOf(Readable);
    expect((await buffer(file!.stream)).equals(data)).toBe(true);
    expect(await sut.exists('reports/a/v1.pdf')).toBe(true);
    expect(await sut.exists('reports/a')).toBe(false);
    await sut.remove('reports/a/v1.pdf');
    expect(await sut.exists('reports/a/v1.pdf')).toBe(false);
    expect(await sut.open('reports/a/v1.pdf')).toBeNull();
    expect(await sut.stat('reports/a/v1.pdf')).toBeNull();
    expect(await sut.open('nothing/here.pdf')).toBeNull();
    await expect(sut.remove('nothing/here.pdf')).resolves.toBeUndefined();
  });

  it('replaces with put; of concurrent creates exactly one writes and all get what it wrote', async () => {
    await sut.put('k/v1.pdf', Buffer.from('old'));
    await sut.put('k/v1.pdf', Buffer.from('new content'));
    expect((await buffer((await sut.open('k/v1.pdf'))!.stream)).toString()).toBe('new content');

    const contents = Array.from({ length: 6 }, (_, i) => Buffer.from(`content ${i}`));
    const results = await Promise.all(contents.map((c) => sut.create('race/v1.pdf', c)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const stored = await buffer((await sut.open('race/v1.pdf'))!.stream);
    expect(results.map((r) => r.sha256)).toEqual(contents.map(() => sha(stored)));
    const again = await sut.create('race/v1.pdf', Buffer.from('later'));
    expect(again).toMatchObject({ created: false, sha256: sha(stored), size: stored.length });
  });

  it('a reader never gets half a file while puts replace it', async () => {
    const versions = [Buffer.alloc(1024 * 1024, 'a'), Buffer.alloc(512 * 1024, 'b')];
    await sut.put('swap/v1.pdf', versions[0]);
    const seen = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        if (i % 2 === 0) return sut.put('swap/v1.pdf', versions[(i / 2) % 2]).then(() => null);
        const body = await buffer((await sut.open('swap/v1.pdf'))!.stream);
        return sha(body);
      }),
    );
    const whole = new Set(versions.map(sha));
    expect(seen.filter((s): s is string => s !== null).every((s) => whole.has(s))).toBe(true);
  });

  it('streams a big (5 MB) object whole, and the hot cache in front serves it the same', async () => {
    const big = randomBytes(5 * 1024 * 1024);
    await sut.put('big/v1.bin', big);
    const file = await sut.open('big/v1.bin');
    expect(file?.size).toBe(big.length);
    expect(file?.bytes).toBeUndefined(); // streamed, not held
    expect(sha(await buffer(file!.stream))).toBe(sha(big));
    const cached = new CachedFileStorage(sut);
    expect(sha(await buffer((await cached.open('big/v1.bin'))!.stream))).toBe(sha(big));
  });

  it.each([false, true])('the hot cache (trusting named content: %s): one read, then served from memory; a replacement through the storage is seen', async (trustNamedContent) => {
    const cached = new CachedFileStorage(sut, { trustNamedContent });
    const key = `hot/${trustNamedContent}.pdf`;
    const one = await cached.put(key, Buffer.from('%PDF-one'));
    const first = await cached.open(key);
    expect((await cached.open(key))?.bytes).toBe(first?.bytes);
    expect((await cached.open(key, { sha256: one.sha256 }))?.bytes).toBe(first?.bytes);
    const two = await sut.put(key, Buffer.from('%PDF-two, longer'));
    expect((await cached.open(key, { sha256: two.sha256 }))?.bytes?.toString()).toBe('%PDF-two, longer');
    await sut.remove(key);
    // Content a row names is served from memory when trusted; otherwise the stat finds it gone.
    expect((await cached.open(key, { sha256: two.sha256 }))?.bytes?.toString()).toBe(trustNamedContent ? '%PDF-two, longer' : undefined);
    expect(await cached.open(key)).toBeNull();
  });

  it('refuses malformed keys before touching anything', async () => {
    for (const key of ['', '../x.pdf', 'a//b.pdf', 'a/.hidden', 'A/b.pdf', 'a/b c.pdf']) {
      await expect(sut.put(key, Buffer.from('x'))).rejects.toThrow(InvalidStorageKeyError);
      await expect(sut.open(key)).rejects.toThrow(InvalidStorageKeyError);
    }
  });
});

describe('S3FileStorage against the S3 server', () => {
  it('keeps the SHA-256 in the object metadata, under the prefix, in the configured bucket', async () => {
    const storage = bucket() as S3FileStorage;
    try {
      const data = Buffer.from('%PDF-meta');
      await storage.put('reports/m/v1.pdf', data);
      expect((await storage.stat('reports/m/v1.pdf'))?.sha256).toBe(sha(data));
      expect((await storage.open('reports/m/v1.pdf'))?.sha256).toBe(sha(data));
      expect(storage.describe()).toMatch(new RegExp(`^s3://${s3.bucket}/contract/[0-9a-f]{8}$`));
    } finally {
      await storage.close();
    }
  });

  it('sends each put whole-or-nothing: Content-Length, its SHA-256 checksum (and in the metadata), If-None-Match: * on a create', async () => {
    const storage = bucket() as S3FileStorage;
    const sent: Record<string, string>[] = [];
    // What goes over the wire to the real server (the SDK's last step before sending).
    (storage as unknown as { client: S3Client }).client.middlewareStack.add(
      (next) => async (args) => {
        const { method, headers } = (args as { request: { method: string; headers: Record<string, string> } }).request;
        if (method === 'PUT') sent.push(headers);
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    try {
      const data = randomBytes(1000);
      await storage.put('wire/v1.pdf', data);
      await storage.create('wire/v2.pdf', data);
      const base64 = createHash('sha256').update(data).digest('base64');
      // (Not the probe of conditional writes, which carries no metadata.)
      expect(sent.filter((h) => !h['if-none-match'] || h['x-amz-meta-sha256'])).toEqual([
        expect.objectContaining({ 'content-length': '1000', 'x-amz-checksum-sha256': base64, 'x-amz-meta-sha256': sha(data) }),
        expect.objectContaining({ 'content-length': '1000', 'x-amz-checksum-sha256': base64, 'x-amz-meta-sha256': sha(data), 'if-none-match': '*' }),
      ]);
    } finally {
      await storage.close();
    }
  });

  it('the server stores nothing of an upload cut short or not matching its checksum (as S3 does)', async () => {
    const storage = bucket(s3, 'wire');
    const put = (path: string, headers: Record<string, string>, body: Buffer, cut: boolean) =>
      new Promise<number | null>((resolve) => {
        const req = httpRequest(`${s3.endpoint}/${s3.bucket}/wire/${path}`, { method: 'PUT', headers });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? null);
        });
        req.on('error', () => resolve(null));
        req.write(body);
        if (cut) setTimeout(() => req.destroy(), 50);
        else req.end();
      });
    try {
      const data = randomBytes(100_000);
      const checksum = createHash('sha256').update(data).digest('base64');
      expect(await put('cut.pdf', { 'Content-Length': '100000', 'x-amz-checksum-sha256': checksum }, data.subarray(0, 60_000), true)).toBeNull();
      const tampered = Buffer.from(data);
      tampered[5] ^= 1;
      expect(await put('bad.pdf', { 'Content-Length': '100000', 'x-amz-checksum-sha256': checksum }, tampered, false)).toBe(400);
      expect(await put('good.pdf', { 'Content-Length': '100000', 'x-amz-checksum-sha256': checksum }, data, false)).toBe(200);
      expect([await storage.exists('cut.pdf'), await storage.exists('bad.pdf'), await storage.exists('good.pdf')]).toEqual([false, false, true]);
    } finally {
      await storage.close?.();
    }
  });

  it('a bucket that does not exist is STORAGE_UNAVAILABLE, never a missing file', async () => {
    const env = { ...s3.env('x'), STORAGE_URL: 's3://no-such-bucket/x', DATA_DIR: dir, JWT_SECRET: 'x'.repeat(32) };
    const storage = createFileStorage(loadConfig(env));
    try {
      await expect(storage.open('reports/a/v1.pdf')).rejects.toMatchObject({ service: 'STORAGE_UNAVAILABLE' });
      await expect(storage.put('reports/a/v1.pdf', Buffer.from('x'))).rejects.toMatchObject({ service: 'STORAGE_UNAVAILABLE' });
      await expect(storage.probe()).rejects.toMatchObject({ service: 'STORAGE_UNAVAILABLE' });
    } finally {
      await storage.close?.();
    }
  });

  it('two storages (two processes) racing to create one key: exactly one creates, through If-None-Match', async () => {
    const prefix = `contract/${randomBytes(4).toString('hex')}`;
    const writers = Array.from({ length: 4 }, () => bucket(s3, prefix));
    try {
      const results = await Promise.all(writers.map((w, i) => w.create('race/v1.pdf', Buffer.from(`writer ${i}`))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    } finally {
      await Promise.all(writers.map((w) => w.close?.()));
    }
  });

  it('a stopped server: every call fails within a second with STORAGE_UNAVAILABLE; a frozen one too; back once it is', async () => {
    const storage = bucket();
    try {
      await storage.put('down/v1.pdf', Buffer.from('x'));
      for (const cut of ['stop', 'pause'] as const) {
        if (cut === 'stop') await s3.stop();
        else s3.pause();
        for (const call of [() => storage.open('down/v1.pdf'), () => storage.put('down/v2.pdf', Buffer.from('y')), () => storage.stat('down/v1.pdf'), () => storage.probe()]) {
          const started = Date.now();
          const err = await call().then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toMatchObject({ service: 'STORAGE_UNAVAILABLE' });
          expect(Date.now() - started).toBeLessThan(1000);
        }
        if (cut === 'stop') await s3.start();
        else s3.resume();
        expect((await storage.open('down/v1.pdf'))?.size).toBe(1);
      }
    } finally {
      s3.resume();
      await s3.start();
      await storage.close?.();
    }
  });
});
