import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyTree, isEmptyDir } from './file-copy';

describe('copyTree', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vetlab-copy-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies every file to the same path, leaves a storage temp file out, and counts files and bytes', async () => {
    const from = join(dir, 'from');
    mkdirSync(join(from, 'reports', 'r1'), { recursive: true });
    writeFileSync(join(from, 'reports', 'r1', 'v1.pdf'), 'pdf-bytes');
    writeFileSync(join(from, 'reports', 'r1', '.v2.pdf.a1b2c3.tmp'), 'half');
    writeFileSync(join(from, 'top.png'), 'png');

    expect(await copyTree(from, join(dir, 'to'))).toEqual({ count: 2, bytes: 'pdf-bytes'.length + 'png'.length });
    expect(readFileSync(join(dir, 'to', 'reports', 'r1', 'v1.pdf'), 'utf8')).toBe('pdf-bytes');
    expect(await isEmptyDir(join(dir, 'to', 'reports', 'r1'))).toBe(false);
    expect(() => readFileSync(join(dir, 'to', 'reports', 'r1', '.v2.pdf.a1b2c3.tmp'))).toThrow(/ENOENT/);
  });

  it('never writes over a file that is there, and copies nothing from a folder that is not', async () => {
    const from = join(dir, 'from');
    mkdirSync(from);
    writeFileSync(join(from, 'a.pdf'), 'new');
    mkdirSync(join(dir, 'to'));
    writeFileSync(join(dir, 'to', 'a.pdf'), 'old');
    await expect(copyTree(from, join(dir, 'to'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(join(dir, 'to', 'a.pdf'), 'utf8')).toBe('old');
    expect(await copyTree(join(dir, 'missing'), join(dir, 'elsewhere'))).toEqual({ count: 0, bytes: 0 });
    expect(await isEmptyDir(join(dir, 'missing'))).toBe(true);
  });
});
