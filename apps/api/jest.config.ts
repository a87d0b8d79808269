import { apiJestBase } from './jest.preset';

/** Unit tests: one class at a time, beside the code. */
export default {
  ...apiJestBase,
  displayName: 'api',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
};
