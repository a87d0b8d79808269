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
  // A worker keeps every file's test app: prom-client's default metrics (MetricsService) start an
  // event-loop-delay histogram that is never stopped, created inside a Jest hook, so it holds the
  // hook's async context, and through it the file's TestApp (traced in a heap snapshot). ~25 MiB a
  // file stays reachable, and the heap reaches 1.3-2 GB after thirty files. A worker reaches 'exit'
  // 2-4 ms after Jest asks it to end, but freeing that heap outlasted Jest's default 500 ms, so every
  // run ended in "A worker process has failed to exit gracefully". Replacing a worker past 1 GB
  // (workerIdleMemoryLimit) was tried and not kept: PostgreSQL's run still warned, and it gave no clear
  // gain in time. So Jest waits longer.
  workerGracefulExitTimeout: 5_000,
};
