import { mkdtempSync, rmSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { CachedFileStorage } from './cached-file-storage';
import { LocalFileStorage } from './local-file-storage';

describe('CachedFileStorage', () => {
  const root = mkdtempSync(join(tmpdir(), 'vetlab-hot-'));
  const disk = new LocalFileStorage(root);
  const sut = new CachedFileStorage(disk);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves a stored file from memory while it is unchanged on disk', async () => {
    const stored = await sut.put('work-orders/a/v1.pdf', Buffer.from('%PDF-one'));
    const first = await sut.open(stored.key);
    const second = await sut.open(stored.key);
    expect(first?.bytes?.toString()).toBe('%PDF-one');
    expect(second?.bytes).toBe(first?.bytes); // the same buffer: no second read
    expect((await buffer(second!.stream)).toString()).toBe('%PDF-one');
  });

  it('reads the file again when it was replaced behind its back, and reports it missing once it is gone', async () => {
    const one = await disk.put('work-orders/b/v1.pdf', Buffer.from('%PDF-old'));
    await sut.open(one.key);
    const two = await disk.put('work-orders/b/v1.pdf', Buffer.from('%PDF-newer'));
    utimesSync(disk.pathOf(two.key), new Date(), new Date(Date.now() + 5000));
    expect((await sut.open(two.key))?.bytes?.toString()).toBe('%PDF-newer');
    unlinkSync(disk.pathOf(two.key));
    expect(await sut.open(two.key)).toBeNull();
  });

  it('forgets a file it writes or removes itself', async () => {
    const key = 'work-orders/c/v1.pdf';
    await sut.put(key, Buffer.from('%PDF-c'));
    await sut.open(key);
    await sut.put(key, Buffer.from('%PDF-c2'));
    expect((await sut.open(key))?.bytes?.toString()).toBe('%PDF-c2');
    await sut.remove(key);
    expect(await sut.open(key)).toBeNull();
  });
});
