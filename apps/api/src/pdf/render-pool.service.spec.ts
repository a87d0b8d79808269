import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderPoolService, renderThreadLimits, renderWorkerEntry } from './render-pool.service';
import { GC_ABOVE_ENV, RENDER_THREAD_DEFAULTS, TEST_API_BUILD_ENV } from './render-thread';

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

  it("from TypeScript, takes the test run's build of the worker when there is one", () => {
    const build = mkdtempSync(join(tmpdir(), 'vetlab-build-'));
    const before = process.env[TEST_API_BUILD_ENV];
    try {
      process.env[TEST_API_BUILD_ENV] = build;
      // A build without the worker (not this run's, or broken): the TypeScript source.
      expect(renderWorkerEntry().filename).toMatch(/render\.worker\.ts$/);
      const worker = join(build, 'apps/api/src/pdf/render.worker.js');
      mkdirSync(join(build, 'apps/api/src/pdf'), { recursive: true });
      writeFileSync(worker, '');
      const entry = renderWorkerEntry(1);
      expect(entry.filename).toBe(worker);
      expect(entry.execArgv).toBeUndefined();
      expect(entry.env.NODE_ENV).toBe('production');
    } finally {
      if (before === undefined) delete process.env[TEST_API_BUILD_ENV];
      else process.env[TEST_API_BUILD_ENV] = before;
      rmSync(build, { recursive: true, force: true });
    }
  });
});

describe('RenderPoolService', () => {
  it('closes cleanly before it ever started', async () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 0 } });
    expect(sut.stats()).toEqual({ threads: 0, queued: 0, completed: 0, collections: 0 });
    await expect(sut.close()).resolves.toBeUndefined();
  });

  it('starts its threads as the module initialises by default (RENDER_START=boot)', () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 1 } });
    const start = jest.spyOn(sut, 'start').mockResolvedValue(undefined);
    sut.onModuleInit();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('with RENDER_START=first-render, starts them at the first render, not at module init', async () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 1, startOnBoot: false } });
    const start = jest.spyOn(sut, 'start').mockResolvedValue(undefined);
    sut.onModuleInit();
    expect(start).not.toHaveBeenCalled();
    // No pool behind the mocked start: the render fails, but only after asking for the threads.
    await expect(sut.render({ document: 'ping' } as never)).rejects.toThrow('closed');
    expect(start).toHaveBeenCalledTimes(1);
  });
});

describe('renderThreadLimits', () => {
  it('gives a render thread a small young generation and a 1 GiB old generation by default', () => {
    expect(renderThreadLimits({})).toEqual({ maxYoungGenerationSizeMb: RENDER_THREAD_DEFAULTS.youngGenerationMb, maxOldGenerationSizeMb: RENDER_THREAD_DEFAULTS.maxHeapMb });
  });

  it('sets an old-generation limit when configured', () => {
    expect(renderThreadLimits({ maxHeapMb: 1024 })).toEqual({ maxYoungGenerationSizeMb: RENDER_THREAD_DEFAULTS.youngGenerationMb, maxOldGenerationSizeMb: 1024 });
  });

  it('leaves a setting of 0 to V8', () => {
    expect(renderThreadLimits({ youngGenerationMb: 0, maxHeapMb: 0 })).toEqual({});
    expect(renderThreadLimits({ youngGenerationMb: 4, maxHeapMb: 0 })).toEqual({ maxYoungGenerationSizeMb: 4 });
  });

  it('tells the thread above which heap size to collect after a render', () => {
    expect(renderWorkerEntry(3, 0, 64).env[GC_ABOVE_ENV]).toBe('64');
    expect(renderWorkerEntry().env[GC_ABOVE_ENV]).toBe('0');
  });
});

describe('RenderPoolService recycling', () => {
  it('after recycleAfterRenders renders a thread, starts a warm replacement beside the pool and switches to it', async () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 2, recycleAfterRenders: 3 } });
    const replace = jest.spyOn(sut as unknown as { replacePool: () => Promise<void> }, 'replacePool').mockResolvedValue(undefined);
    const count = () => (sut as unknown as { countRender: () => void }).countRender();
    for (let i = 0; i < 5; i++) count();
    expect(replace).not.toHaveBeenCalled();
    count();
    expect(replace).toHaveBeenCalledTimes(1);
    await sut.close();
  });

  it('never replaces with recycleAfterRenders 0', () => {
    const sut = new RenderPoolService({ pdf: { renderThreads: 1, recycleAfterRenders: 0 } });
    const replace = jest.spyOn(sut as unknown as { replacePool: () => Promise<void> }, 'replacePool').mockResolvedValue(undefined);
    for (let i = 0; i < 1000; i++) (sut as unknown as { countRender: () => void }).countRender();
    expect(replace).not.toHaveBeenCalled();
  });
});
