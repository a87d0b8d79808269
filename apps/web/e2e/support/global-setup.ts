import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM } from './browser';

const root = join(__dirname, '../../../..');

/** Fails at once, saying what is missing, instead of timing out inside a test. */
export default async function globalSetup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  for (const f of ['dist/api/apps/api/src/main.js', 'dist/web/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run node tools/build.mjs first`);
  }
}
