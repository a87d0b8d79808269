import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_API_BUILD_ENV } from '../../src/pdf/render-thread';

const ROOT = join(__dirname, '../../../..');
const BUILDS = join(ROOT, 'tmp/test-build');
const ENV = TEST_API_BUILD_ENV;

/**
 * The API built as production runs it (SWC, `tools/build.mjs api`), for the processes the tests
 * start (`serve --role=…`, `migrate`, `seed`…). Built once per test run by the global setup, into a
 * folder of that run's own, so two runs side by side (or `npm start` on dist/) never share one; the
 * jest workers find it through the environment. A process started from the build skips compiling
 * some 300 TypeScript files at every start (about a second of CPU each time); so does a render
 * thread of a test app (`renderWorkerEntry`).
 */
export function buildApiForTests(): void {
  // Builds left by runs that were killed before their teardown.
  for (const name of existsSync(BUILDS) ? readdirSync(BUILDS) : []) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (pid && !pidAlive(pid)) rmSync(join(BUILDS, name), { recursive: true, force: true });
  }
  const dir = join(BUILDS, `run-${process.pid}`);
  const r = spawnSync(process.execPath, ['tools/build.mjs', 'api', `--out=${dir}`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the API did not build for the tests (node tools/build.mjs api):\n${r.stdout}\n${r.stderr}`);
  process.env[ENV] = dir;
}

export function removeApiBuild(): void {
  const dir = process.env[ENV];
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** This run's build folder (removed at teardown, with whatever else the run keeps in it). */
export function apiBuildDir(): string {
  const dir = process.env[ENV];
  if (!dir || !existsSync(dir)) {
    throw new Error(`no build of the API for this test run (${ENV}): run the integration tests through jest -c apps/api/jest.int.config.ts, whose global setup builds it`);
  }
  return dir;
}

/** A file of this run's build of the API, e.g. `builtApi('main.js')`. */
export function builtApi(path: string): string {
  return join(apiBuildDir(), 'apps/api/src', path);
}

/** Whether a process of this pid runs (a run's leftovers are named after its pid). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
