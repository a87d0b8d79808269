#!/usr/bin/env node
// Builds the API (SWC: keeps decorator metadata, rewrites the @vetlab/shared path) and the SPA (Vite).
//   node tools/build.mjs [api|web]   (both by default)
//   node tools/build.mjs api --out=DIR  the API into DIR instead of dist/api (the integration tests' own build)
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const what = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'all';
const apiOut = process.argv.find((a) => a.startsWith('--out='))?.slice(6) ?? 'dist/api';
if (what === 'api' || what === 'all') {
  rmSync(apiOut, { recursive: true, force: true });
  // Layout mirrors the source tree (dist/api/apps/api/src/main.js, dist/api/libs/shared/src/...),
  // so the relative paths SWC writes for @vetlab/shared stay valid.
  run(bin('swc'), ['apps/api/src', 'libs/shared/src', '-d', apiOut, '--config-file', '.swcrc', '--ignore', '**/*.spec.ts,**/*.spec.tsx', '-q']);
}
if (what === 'web' || what === 'all') {
  run(bin('vite'), ['build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn']);
}
