import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

/** Unit tests of components and helpers in jsdom; browser tests against the built SPA live elsewhere. */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      name: 'web',
      environment: 'jsdom',
      include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx'],
      setupFiles: ['src/test-setup.ts'],
      restoreMocks: true,
      // Every core: Vitest's default leaves one free (on a 2-core CI machine, one file at a time).
      maxWorkers: '100%',
    },
  }),
);
