import { apiJestBase } from './jest.preset';

/**
 * Integration tests against real Redis, a real database (TEST_DB=sqlite|postgresql) and real SMTP.
 * Each file gets its own database and Redis key prefix, so workers run in parallel safely.
 */
export default {
  ...apiJestBase,
  displayName: `api-int-${process.env.TEST_DB ?? 'sqlite'}`,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  maxWorkers: 2,
};
