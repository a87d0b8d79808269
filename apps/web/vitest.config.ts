import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const SPECS = ['src/**/*.spec.ts', 'src/**/*.spec.tsx', '*.spec.ts'];

/**
 * Spec files that replace a module (`vi.mock`). Files of the shared run below reuse the modules an
 * earlier file loaded, so a mock there may come too late; these files get a module graph of their own.
 */
const mocking = readdirSync(join(here, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.spec\.tsx?$/.test(f) && readFileSync(join(here, 'src', f), 'utf8').includes('vi.mock('))
  .map((f) => relative(here, join(here, 'src', f)).split('\\').join('/'));

/** Unit tests of components and helpers in jsdom; browser tests against the built SPA live elsewhere. */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'jsdom',
      setupFiles: ['src/test-setup.ts'],
      restoreMocks: true,
      // Every core: Vitest's default leaves one free (on a 2-core CI machine, one file at a time).
      maxWorkers: '100%',
      projects: [
        {
          extends: true,
          test: {
            name: 'web',
            include: SPECS,
            exclude: mocking,
            // One jsdom and one import of React and Mantine per worker, not per file (96 s → ~25 s
            // on two cores). Module state outlives a file: src/test-setup.ts resets it after each test.
            isolate: false,
          },
        },
        { extends: true, test: { name: 'web-mocks', include: mocking.length ? mocking : ['no-such-file'] } },
      ],
    },
  }),
);
