/**
 * `npm run cluster` (through tools/cluster.mjs, which builds first): the cluster of
 * tools/cluster/cluster.ts in the foreground until Ctrl+C.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/vetlab npm run cluster -- [--storage=s3|local] [--apis=2] [--workers=2]
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCluster, StorageChoice } from './cluster';

const root = resolve(__dirname, '../..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const fail = (message: string) => {
  console.error(`\ncluster: ${message}\n`);
  process.exit(1);
};

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail('DATABASE_URL is required: the PostgreSQL database the cluster shares, e.g. postgres://postgres@127.0.0.1:5432/vetlab');
  const storage = (arg('storage') ?? process.env.CLUSTER_STORAGE ?? 's3') as StorageChoice;
  if (!['s3', 'local'].includes(storage)) fail(`--storage must be s3 or local (got ${storage})`);
  const dataDir = resolve(process.env.CLUSTER_DIR ?? join(root, 'data/cluster'));
  mkdirSync(dataDir, { recursive: true });
  // One secret for all API processes, kept across restarts of the cluster.
  const secretFile = join(dataDir, 'jwt-secret');
  if (!process.env.JWT_SECRET && !existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const jwtSecret = process.env.JWT_SECRET ?? readFileSync(secretFile, 'utf8').trim();
  const port = Number(process.env.CLUSTER_PORT ?? 8080);

  let stopping = false;
  const cluster = await startCluster({
    root,
    databaseUrl: databaseUrl!,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    dataDir,
    port,
    storage,
    apis: Number(arg('apis') ?? 2),
    workers: Number(arg('workers') ?? 2),
    entry: 'dist',
    // Nest's start-up listing of every module and route, times four, says nothing here.
    log: (name, line) => !/\[(RouterExplorer|RoutesResolver|InstanceLoader)\]/.test(line) && console.log(`[${name}] ${line}`),
    seed: !['false', '0'].includes(process.env.SEED_ON_START ?? ''),
    env: { JWT_SECRET: jwtSecret, PUBLIC_URL: process.env.PUBLIC_URL ?? `http://127.0.0.1:${port}` },
    onUnexpectedExit: (p) => {
      if (!stopping) console.error(`[cluster] ${p.name} is down: the others go on (nginx skips a dead API process); restart the cluster to bring it back`);
    },
  }).catch((e: Error) => fail(e.message));
  if (!cluster) return;
  const line = (p: { name: string; url: string; pid: () => number | undefined }) => `    ${p.name.padEnd(9)} pid ${p.pid()}${p.url ? `  ${p.url}` : ''}`;
  console.log(
    [
      '',
      `  vetlab cluster at ${cluster.url}  (nginx in front of ${cluster.apis.length} API and ${cluster.workers.length} worker processes; storage: ${storage})`,
      ...[...cluster.apis, ...cluster.workers, cluster.nginx, ...(cluster.s3 ? [cluster.s3] : [])].map(line),
      '  Ctrl+C stops everything.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('[cluster] stopping…');
    await cluster.stop();
    process.exit(0);
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => void stop());
}

void main();
