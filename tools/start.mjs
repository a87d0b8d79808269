#!/usr/bin/env node
// `npm start`: from a fresh clone to a running lab on one machine.
//   1. installs dependencies (npm ci) when node_modules is missing or older than package-lock.json
//   2. finds Redis at REDIS_URL, or starts a local redis-server with its files under <DATA_DIR>/redis
//   3. builds the API and the SPA when their builds are missing or stale
//   4. migrates and seeds the demo data into a new database (seed --if-empty)
//   5. serves API + worker + SPA on http://HOST:PORT (127.0.0.1:3000 by default) until Ctrl+C
// Uses only Node's standard library before step 1, so it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const say = (line) => console.log(`vetlab: ${line}`);
const fail = (message) => {
  console.error(`\nvetlab: ${message}\n`);
  process.exit(1);
};

process.chdir(ROOT);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old: vetlab needs Node 20.19 or newer.`);

installDependencies();
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
await ensureRedis(redisUrl);
// Only now: run-api.mjs is ours, but the build it calls needs node_modules.
const { ensureApiBuilt, newestMtime, runMain } = await import('./run-api.mjs');
ensureApiBuilt();
buildWeb(newestMtime);

const production = process.env.NODE_ENV === 'production';
if (production && process.env.SEED_ON_START === undefined) {
  // Demo accounts have published passwords: a production lab starts without them (the seed refuses
  // them anyway, so SEED_ON_START=true in production stops here with its message).
  say('NODE_ENV=production: migrating without demo data (create the first admin with: npm run create-admin -- --email=… --name=…)');
  await step(runMain(['migrate']), 'migration');
} else if (['false', '0'].includes(process.env.SEED_ON_START ?? '')) {
  say('SEED_ON_START is off: migrating without demo data');
  await step(runMain(['migrate']), 'migration');
} else {
  await step(runMain(['seed', '--if-empty']), 'demo seed');
}

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '3000';
const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
let stopped = false;
const server = runMain(['serve', '--role=all'], { env: { ...process.env, HOST: host, PORT: port } }).then((code) => {
  stopped = true;
  return code;
});
announceWhenUp(url, () => stopped);
// `npm start` killed with SIGTERM ends npm's shell but not us: stop with it rather than linger.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.kill(process.pid, 'SIGTERM'), 1000).unref();
process.exitCode = await server;

// ---------------------------------------------------------------------------------------------

function installDependencies() {
  const lock = join(ROOT, 'package-lock.json');
  // npm rewrites node_modules/.package-lock.json on every install: its age is the install's age.
  const installed = join(ROOT, 'node_modules/.package-lock.json');
  let why = null;
  if (!existsSync(installed)) why = 'node_modules is missing';
  else if (statSync(lock).mtimeMs > statSync(installed).mtimeMs) why = 'package-lock.json changed since the last install';
  if (!why) return;
  say(`${why}: running npm ci to install the exact dependency versions of package-lock.json.`);
  say('This takes a minute or two; better-sqlite3 may compile from source (see the README if that fails).');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci'], { stdio: 'inherit' });
  if (r.status !== 0) fail('npm ci failed (see above). The README lists the prerequisites.');
}

/** A RESP exchange over raw TCP (or TLS): resolves with Redis's first reply line, or null. */
function redisCommand(u, command, timeoutMs = 800) {
  return new Promise((done) => {
    const port = Number(u.port || 6379);
    const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    const socket = u.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : createConnection({ host, port });
    const finish = (reply) => {
      socket.destroy();
      done(reply);
    };
    const resp = (...parts) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
    let buffer = '';
    let pending = 0;
    socket.setTimeout(timeoutMs, () => finish(null));
    socket.on('error', () => finish(null));
    socket.on(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      const password = decodeURIComponent(u.password);
      const user = decodeURIComponent(u.username);
      if (password) {
        socket.write(user ? resp('AUTH', user, password) : resp('AUTH', password));
        pending++;
      }
      socket.write(resp(command));
      pending++;
    });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      // RESP replies start with one of these; anything else is another service on that port.
      if (!'+-:$*'.includes(buffer[0])) return finish(`?${buffer.split(/\r?\n/)[0].slice(0, 60)}`);
      const lines = buffer.split('\r\n').filter(Boolean);
      const failed = lines.find((l) => l.startsWith('-'));
      if (failed) finish(failed);
      else if (lines.length >= pending) finish(lines[lines.length - 1]);
    });
  });
}

async function ensureRedis(raw) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    fail(`REDIS_URL is not a URL: ${raw}`);
  }
  const reply = await redisCommand(u, 'PING');
  if (reply === '+PONG') return say(`Redis answers at ${u.host}`);
  if (reply?.startsWith('?')) fail(`something that is not Redis answers at ${u.host} ("${reply.slice(1)}"): check REDIS_URL.`);
  if (reply) fail(`Redis at ${u.host} answered "${reply.slice(1)}" instead of PONG: check the credentials in REDIS_URL.`);

  const local = ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
  if (!local) fail(`Redis does not answer at ${u.host} (REDIS_URL). Start it there, or unset REDIS_URL to use a local one.`);
  const binary = onPath('redis-server');
  if (!binary) {
    fail(
      `Redis is not running at ${u.host} and there is no redis-server to start.\n` +
        '  Install it, then run npm start again:\n' +
        '    Debian/Ubuntu: sudo apt-get install redis-server\n' +
        '    Fedora:        sudo dnf install redis\n' +
        '    macOS:         brew install redis\n' +
        '  or point REDIS_URL at a Redis you already run.',
    );
  }
  const port = u.port || '6379';
  const dir = resolve(process.env.DATA_DIR ?? './data', 'redis');
  mkdirSync(dir, { recursive: true });
  say(`Redis does not answer at ${u.host}: starting ${binary} on 127.0.0.1:${port} (files in ${dir})`);
  // AOF and noeviction: Bull must not lose jobs on a restart or under memory pressure.
  const args = ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port, '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction'];
  args.push('--logfile', join(dir, 'redis.log'), '--pidfile', join(dir, 'redis.pid'));
  const r = spawnSync(binary, args, { stdio: 'inherit' });
  if (r.status !== 0) fail(`redis-server did not start (exit ${r.status}); see ${join(dir, 'redis.log')}`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if ((await redisCommand(u, 'PING', 300)) === '+PONG') {
      say(`Redis started; it keeps running after vetlab stops (stop it with: redis-cli -p ${port} shutdown)`);
      return;
    }
    await new Promise((r2) => setTimeout(r2, 150));
  }
  fail(`redis-server started but does not answer on port ${port}; see ${join(dir, 'redis.log')}`);
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function buildWeb(newestMtimeOf) {
  if (!existsSync(join(ROOT, 'apps/web/vite.config.ts'))) {
    say('no web app yet (apps/web/vite.config.ts is missing): serving the API only');
    return;
  }
  const index = join(ROOT, 'dist/web/index.html');
  const stale = !existsSync(index) || newestMtimeOf(['apps/web', 'libs/shared/src']) > statSync(index).mtimeMs;
  if (!stale) return;
  say('building the web app…');
  const r = spawnSync(process.execPath, [join(ROOT, 'tools/build.mjs'), 'web'], { stdio: 'inherit' });
  if (r.status !== 0) fail('the web build failed (see above)');
}

async function step(run, what) {
  const code = await run;
  if (code !== 0) fail(`the ${what} failed (exit ${code}); see above`);
}

/** Prints where to go and how to log in once the API answers its health check. */
async function announceWhenUp(base, isStopped) {
  const deadline = Date.now() + 60_000;
  while (!isStopped() && Date.now() < deadline) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 2000);
    try {
      const res = await fetch(`${base}/api/health`, { signal: abort.signal });
      if (res.status === 200 || res.status === 503) {
        const body = await res.json().catch(() => ({}));
        console.log(
          [
            '',
            `  vetlab is running at ${base}${res.status === 503 ? `  (health: ${JSON.stringify(body)})` : ''}`,
            ...(production
              ? ['  Production: no demo logins; the first admin comes from npm run create-admin -- --email=… --name=…']
              : [
                  `  API docs: ${base}/api/docs`,
                  '  Demo logins (see the README for all of them):',
                  '    admin      admin@vetlab.local      vetlab-admin',
                  '    signer     firmante1@vetlab.local  vetlab-staff',
                  '    technician tecnico1@vetlab.local   vetlab-staff',
                  '    vet        vet1@vetlab.local       vetlab-vet',
                ]),
            '  Ctrl+C stops it.',
            '',
          ].join('\n'),
        );
        return;
      }
    } catch {
      // not listening yet
    } finally {
      clearTimeout(timer);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
