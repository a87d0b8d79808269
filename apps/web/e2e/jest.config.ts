/**
 * Browser tests: the built SPA served by the real API (built dist, role all, seeded SQLite, real
 * Redis) driven in Debian's Chromium through playwright-core. One stack per file (a copy of the demo
 * data the global setup seeded once). Two files at a time: each has its own stack (a free port, its
 * own data folder and Redis prefix) and its own Chromium, and much of a file's time is waiting (a
 * stack booting, a job, a token expiring), so two side by side took 120 s where one at a time took
 * 190 s on two cores (5 December 2026), each file at most a third slower.
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
  maxWorkers: 2,
};
