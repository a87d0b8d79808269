import { existsSync } from 'node:fs';
import { RenderPoolService, renderWorkerEntry } from './render-pool.service';

describe('renderWorkerEntry', () => {
  it('from TypeScript, loads the .ts worker through @swc-node/register with the API tsconfig', () => {
    const entry = renderWorkerEntry();
    expect(entry.filename).toMatch(/render\.worker\.ts$/);
    expect(existsSync(entry.filename)).toBe(true);
    expect(entry.execArgv).toEqual(expect.arrayContaining(['--require', expect.stringMatching(/@swc-node[\\/]register/)]));
    expect(existsSync(entry.env.SWC_NODE_PROJECT as string)).toBe(true);
  });

  it('gives render threads React in production mode', () => {
    expect(renderWorkerEntry().env.NODE_ENV).toBe('production');
  });
});

describe('RenderPoolService', () => {
  it('closes cleanly before it ever started', async () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 0 } });
    expect(sut.stats()).toEqual({ threads: 0, queued: 0, completed: 0 });
    await expect(sut.close()).resolves.toBeUndefined();
  });
});
