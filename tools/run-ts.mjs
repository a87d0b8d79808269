#!/usr/bin/env node
// Runs a TypeScript entry of the workspace without a build (development tooling only).
import { spawnSync } from 'node:child_process';
const [file, ...args] = process.argv.slice(2);
const r = spawnSync(process.execPath, ['-r', '@swc-node/register', file, ...args], {
  stdio: 'inherit',
  env: { SWC_NODE_PROJECT: file.startsWith('bench/') ? 'bench/tsconfig.json' : 'apps/api/tsconfig.json', ...process.env },
});
process.exit(r.status ?? 1);
