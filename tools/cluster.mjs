#!/usr/bin/env node
// `npm run cluster`: PostgreSQL (DATABASE_URL), Redis, storage, 2 API + 2 worker processes and nginx
// in front on CLUSTER_PORT (8080), all on this machine (tools/cluster/cluster.ts). Builds the API
// and the SPA first when their builds are missing or stale. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureApiBuilt, newestMtime, ROOT } from './run-api.mjs';

ensureApiBuilt();
const index = join(ROOT, 'dist/web/index.html');
if (!existsSync(index) || newestMtime(['apps/web', 'libs/shared/src']) > statSync(index).mtimeMs) {
  console.log('cluster: building the web app…');
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs'), 'web'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools/cluster/main.ts'), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { SWC_NODE_PROJECT: join(ROOT, 'apps/api/tsconfig.json'), ...process.env },
});
// The terminal's Ctrl+C reaches the child too: it stops the cluster; this one waits for it.
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
