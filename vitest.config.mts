import { defineConfig } from 'vitest/config';

// Only the web app uses vitest; without this file `npx vitest` at the root would pick up the
// jest specs of apps/api and libs/shared.
export default defineConfig({ test: { projects: ['apps/web/vitest.config.ts'] } });
