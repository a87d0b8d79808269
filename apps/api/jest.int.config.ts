import { apiJestBase } from './jest.preset';

/**
 * Specs that open no database (the render pool, the file storages): they run once, with the SQLite
 * run. A spec that starts to use the database must leave this list, or PostgreSQL never sees it.
 */
const DATABASE_FREE = ['pdf-render', 'storage-contract'];

/**
 * Integration tests against real Redis, a real database (TEST_DB=sqlite|postgresql) and real SMTP.
 * Each file gets its own database and Redis key prefix, so workers run in parallel safely.
 */
export default {
  ...apiJestBase,
  displayName: `api-int-${process.env.TEST_DB ?? 'sqlite'}`,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.TEST_DB === 'postgresql' ? DATABASE_FREE.map((name) => `/test/integration/${name}\\.int-spec\\.ts$`) : [])],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};
