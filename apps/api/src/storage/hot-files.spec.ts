import { mkdtempSync, rmSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HotFiles } from './hot-files';
import { LocalFileStorage } from './local-file-storage';

describe('HotFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'vetlab-hot-'));
  const storage = new LocalFileStorage(root);
  const sut = new HotFiles(storage);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves a stored file from memory while it is unchanged on disk', async () => {
    const stored = await storage.put('work-orders/a/v1.pdf', Buffer.from('%PDF-one'));
    const first = await sut.get(stored.key, stored.sha256);
    const second = await sut.get(stored.key, stored.sha256);
    expect(first?.bytes.toString()).toBe('%PDF-one');
    expect(second?.bytes).toBe(first?.bytes); // the same buffer: no second read
  });

  it('reads the file again when it was replaced, and reports it missing once it is gone', async () => {
    const one = await storage.put('work-orders/b/v1.pdf', Buffer.from('%PDF-old'));
    await sut.get(one.key, one.sha256);
    const two = await storage.put('work-orders/b/v1.pdf', Buffer.from('%PDF-newer'));
    utimesSync(storage.pathOf(two.key), new Date(), new Date(Date.now() + 5000));
    expect((await sut.get(two.key, two.sha256))?.bytes.toString()).toBe('%PDF-newer');
    unlinkSync(storage.pathOf(two.key));
    expect(await sut.get(two.key, two.sha256)).toBeNull();
  });

  it('reads from disk again when the caller expects another SHA-256 than the one in memory', async () => {
    const stored = await storage.put('work-orders/c/v1.pdf', Buffer.from('%PDF-c'));
    await sut.get(stored.key, stored.sha256);
    const other = await sut.get(stored.key, 'f'.repeat(64));
    // Read again from disk and kept under the caller's expectation: the route compares ETags itself.
    expect(other?.bytes.toString()).toBe('%PDF-c');
  });
});
