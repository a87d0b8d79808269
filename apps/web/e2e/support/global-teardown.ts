import { rmSync } from 'node:fs';
import { SEEDED_ENV } from './stack';

/** Removes the seeded folder the global setup made. */
export default async function globalTeardown() {
  const dir = process.env[SEEDED_ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
