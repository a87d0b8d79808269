import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM } from './browser';
import { SEEDED_ENV, seedDemo } from './stack';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { sweepSmallDisks } from '../../../../tools/testing/small-disk';

const root = join(__dirname, '../../../..');

/**
 * Fails at once, saying what is missing, instead of timing out inside a test. Then seeds the demo
 * data once, into a folder every stack copies (the global teardown removes it).
 */
export default async function globalSetup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  for (const f of ['dist/api/apps/api/src/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run node tools/build.mjs first`);
  }
  // The small disks a killed run left mounted (the full-disk test's).
  sweepSmallDisks();
  const dir = mkdtempSync(join(tmpdir(), 'vetlab-e2e-seeded-'));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATA_DIR: dir, PASSWORD_HASH_COST: 'low', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  seedDemo(env);
  process.env[SEEDED_ENV] = dir;
}
