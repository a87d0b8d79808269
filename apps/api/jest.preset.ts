import { join } from 'node:path';

const root = join(__dirname, '../..');

/** SWC with legacy decorators and metadata (Nest DI, MikroORM), TSX, and the shared lib's path. */
export const apiJestBase = {
  rootDir: __dirname,
  testEnvironment: 'node',
  runtime: join(__dirname, 'jest-code-cache-runtime.cjs'),
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // @react-pdf and friends, and @fastify/static's content-disposition, ship ESM only: SWC compiles them too.
  transformIgnorePatterns: ['/node_modules/(?!(@react-pdf|yoga-layout|color-string|color-name|@fastify/static/node_modules/content-disposition|content-disposition)/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@vetlab/shared$': join(root, 'libs/shared/src/index.ts'),
    '^@react-pdf/hyphenate/(.*)$': join(root, 'node_modules/@react-pdf/hyphenate/lib/$1.js'),
  },
};
