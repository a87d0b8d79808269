#!/usr/bin/env node
// Runs a command of the built API (serve, migrate, seed), building it first when the build is
// missing or older than its sources:
//   node tools/run-api.mjs seed --profile=bench
// Exit code and signals pass through. Also imported by tools/start.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const API_MAIN = join(ROOT, 'dist/api/apps/api/src/main.js');
const API_SOURCES = ['apps/api/src', 'libs/shared/src', '.swcrc'];

/** Newest modification time under the paths (spec files do not end up in the build). */
export function newestMtime(paths, skip = /\.spec\.tsx?$/) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== 'node_modules') visit(join(p, name));
    } else if (!skip.test(p)) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const p of paths) visit(resolve(ROOT, p));
  return newest;
}

export function apiBuildIsStale() {
  if (!existsSync(API_MAIN)) return 'no build yet';
  return newestMtime(API_SOURCES) > statSync(API_MAIN).mtimeMs ? 'sources changed since the last build' : null;
}

/** Builds the API when needed; exits the process if the build fails. */
export function ensureApiBuilt({ quiet = false } = {}) {
  const why = apiBuildIsStale();
  if (!why) return false;
  if (!quiet) console.log(`vetlab: building the API (${why})…`);
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs'), 'api'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('vetlab: the API build failed (see above)');
    process.exit(r.status ?? 1);
  }
  return true;
}

/**
 * Runs `node dist/api/apps/api/src/main.js <args>` and resolves with its exit code.
 *
 * The child gets its own process group, so a Ctrl+C reaches it once, from here, rather than
 * twice (terminal and npm both signal us): a second SIGINT would cut Nest's graceful shutdown
 * short. A repeated signal more than a second later forces the stop.
 */
export function runMain(args, { env = process.env } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--enable-source-maps', API_MAIN, ...args], { cwd: ROOT, env, stdio: 'inherit', detached: true });
    let firstSignalAt = 0;
    const forward = (signal) => {
      const now = Date.now();
      if (!firstSignalAt) {
        firstSignalAt = now;
        child.kill(signal);
      } else if (now - firstSignalAt > 1000) {
        console.error('vetlab: stopping now');
        child.kill('SIGKILL');
      }
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, forward);
    // If this process ends for another reason, do not leave the API running behind it.
    const killChild = () => child.exitCode == null && child.signalCode == null && child.kill('SIGTERM');
    process.on('exit', killChild);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      process.off('exit', killChild);
      // Shell convention for "ended by a signal": 128 + its number.
      resolvePromise(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
    child.on('error', (e) => {
      console.error(`vetlab: could not start the API: ${e.message}`);
      resolvePromise(1);
    });
  });
}

const invokedDirectly = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  ensureApiBuilt();
  process.exitCode = await runMain(process.argv.slice(2));
}
