import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { InvalidStorageKeyError, LocalFileStorage } from './local-file-storage';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-storage-'));
  const sut = LocalFileStorage.forConfig({ dataDir: dir });
  return { sut, dir, root: join(dir, 'files'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('LocalFileStorage', () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => (t = setup()));
  afterEach(() => t.cleanup());

  it('stores under <dataDir>/files and returns sha256 and size', async () => {
    const data = Buffer.from('%PDF-1.7 hola');
    const stored = await t.sut.put('reports/0b6e1c1a-3f1e-4c1e-9d1e-1a2b3c4d5e6f/v1.pdf', data);
    expect(stored).toEqual({
      key: 'reports/0b6e1c1a-3f1e-4c1e-9d1e-1a2b3c4d5e6f/v1.pdf',
      sha256: createHash('sha256').update(data).digest('hex'),
      size: data.length,
    });
    expect(readFileSync(join(t.root, 'reports/0b6e1c1a-3f1e-4c1e-9d1e-1a2b3c4d5e6f/v1.pdf'))).toEqual(data);
  });

  it('opens a stream with size and modification time; null when missing', async () => {
    await t.sut.put('a/b.pdf', new Uint8Array([1, 2, 3, 4]));
    const file = await t.sut.open('a/b.pdf');
    expect(file).not.toBeNull();
    expect(file?.size).toBe(4);
    // (Date comes from another realm under jest: compare values, not constructors.)
    expect(Math.abs(file!.modifiedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(await readAll(file!.stream)).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(await t.sut.open('a/missing.pdf')).toBeNull();
    expect(await t.sut.open('nothing/here.pdf')).toBeNull();
  });

  it('replaces a file atomically and leaves no temp files', async () => {
    await t.sut.put('x/v1.pdf', Buffer.from('old'));
    const reader = await t.sut.open('x/v1.pdf');
    await t.sut.put('x/v1.pdf', Buffer.from('new content'));
    // A reader that opened before the replacement still reads the whole old file.
    expect((await readAll(reader!.stream)).toString()).toBe('old');
    expect(readFileSync(join(t.root, 'x/v1.pdf'), 'utf8')).toBe('new content');
    expect(readdirSync(join(t.root, 'x'))).toEqual(['v1.pdf']);
  });

  it('creates a file only where none exists: of concurrent creates one writes, the others get what it wrote', async () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    const contents = Array.from({ length: 8 }, (_, i) => Buffer.from(`content ${i}`));
    const results = await Promise.all(contents.map((c) => t.sut.create('k/v1.pdf', c)));
    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    const onDisk = readFileSync(join(t.root, 'k/v1.pdf'));
    expect(results.map((r) => r.sha256)).toEqual(contents.map(() => sha(onDisk)));
    expect(readdirSync(join(t.root, 'k'))).toEqual(['v1.pdf']);
  });

  it('writes many files concurrently without mixing them', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => t.sut.put(`c/f${i}.bin`, Buffer.alloc(10_000 + i, i))));
    for (let i = 0; i < 20; i++) expect(readFileSync(join(t.root, `c/f${i}.bin`))).toEqual(Buffer.alloc(10_000 + i, i));
    expect(readdirSync(join(t.root, 'c'))).toHaveLength(20);
  });

  it('tells whether a file exists, and removes it (ignoring missing ones)', async () => {
    await t.sut.put('r/v1.pdf', Buffer.from('x'));
    expect(await t.sut.exists('r/v1.pdf')).toBe(true);
    expect(await t.sut.exists('r')).toBe(false); // a folder is not a file
    await t.sut.remove('r/v1.pdf');
    expect(await t.sut.exists('r/v1.pdf')).toBe(false);
    await expect(t.sut.remove('r/v1.pdf')).resolves.toBeUndefined();
  });

  it.each([
    '',
    '/etc/passwd',
    '../outside.pdf',
    'reports/../../outside.pdf',
    'reports/..',
    'a//b.pdf',
    'a/b/',
    'a/.hidden',
    '.v1.pdf.abc.tmp',
    'Reports/v1.pdf',
    'reports\\v1.pdf',
    'reports/v 1.pdf',
    'reports/ñ.pdf',
    '-rf',
    'a/b\0.pdf',
    'x'.repeat(600),
  ])('refuses the key %j', async (key) => {
    await expect(t.sut.put(key, Buffer.from('x'))).rejects.toThrow(InvalidStorageKeyError);
    await expect(t.sut.open(key)).rejects.toThrow(InvalidStorageKeyError);
    await expect(t.sut.exists(key)).rejects.toThrow(InvalidStorageKeyError);
    await expect(t.sut.remove(key)).rejects.toThrow(InvalidStorageKeyError);
  });

  it('probes its folder: made when missing, refused when it cannot be written', async () => {
    await expect(t.sut.probe()).resolves.toBeUndefined();
    expect(existsSync(t.root)).toBe(true);
    writeFileSync(join(t.dir, 'a-file'), 'x');
    await expect(new LocalFileStorage(join(t.dir, 'a-file', 'files')).probe()).rejects.toThrow();
  });

  it('never touches anything outside its root', async () => {
    writeFileSync(join(t.dir, 'secret.txt'), 'keep');
    await expect(t.sut.remove('../secret.txt')).rejects.toThrow(InvalidStorageKeyError);
    expect(existsSync(join(t.dir, 'secret.txt'))).toBe(true);
  });
});
