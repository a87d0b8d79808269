import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFolders, diskSpace } from './disk-space';

describe('dataFolders', () => {
  it('the data folder, the SQLite file’s folder and a local storage folder, each once; nothing of PostgreSQL or S3', () => {
    expect(dataFolders({ dataDir: '/d', database: { driver: 'sqlite', path: '/d/vetlab.sqlite' }, storage: { kind: 'local', root: '/d/files' } })).toEqual(['/d', '/d/files']);
    expect(dataFolders({ dataDir: '/d', database: { driver: 'sqlite', path: '/db/lab.sqlite' }, storage: { kind: 'local', root: '/pdfs' } })).toEqual(['/d', '/db', '/pdfs']);
    expect(
      dataFolders({ dataDir: '/d', database: { driver: 'postgresql', url: 'postgres://x', poolSize: 1 }, storage: { kind: 's3', bucket: 'b', prefix: '' } as never }),
    ).toEqual(['/d']);
  });
});

describe('diskSpace', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'vetlab-disk-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the filesystem a folder is on, and says low below the threshold', () => {
    const s = statfsSync(dir);
    const free = s.bavail * s.bsize;
    const d = diskSpace([dir], 0);
    expect(d).toMatchObject({ totalBytes: s.blocks * s.bsize, low: false });
    // Other writers on this machine move the free space a little between two reads.
    expect(Math.abs(d!.freeBytes - free)).toBeLessThan(64 * 2 ** 20);
    expect(diskSpace([dir], Number.MAX_SAFE_INTEGER)?.low).toBe(true);
  });

  it('measures a folder not made yet where it will be made', () => {
    expect(diskSpace([join(dir, 'not', 'yet')], 0)?.totalBytes).toBe(diskSpace([dir], 0)?.totalBytes);
  });

  it('is null when nothing can be read', () => {
    expect(diskSpace([], 0)).toBeNull();
  });
});
