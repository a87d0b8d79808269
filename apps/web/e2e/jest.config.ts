/**
 * Browser tests: the built SPA served by the real API (built dist, role all, seeded SQLite, real
 * Redis) driven in Debian's Chromium through playwright-core. One stack per file (a copy of the demo
 * data the global setup seeded once), files in series.
 */
export default {
  displayName: 'browser',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  testTimeout: 90_000,
  maxWorkers: 1,
};
