/**
 * Unit tests of every jest project (each directory has its own jest.config.ts).
 * Integration tests have their own config: apps/api/jest.int.config.ts.
 */
export default {
  projects: ['<rootDir>/libs/shared', '<rootDir>/apps/api', '<rootDir>/bench'],
  // Every core: Jest's default leaves one free (on a 2-core CI machine, one file at a time).
  maxWorkers: '100%',
};
