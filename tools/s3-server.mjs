#!/usr/bin/env node
/**
 * An S3-compatible server on this machine (s3rver, from npm), for the tests, the bench and
 * `npm run cluster`: its objects are files in a folder, so it stops and starts for real.
 *   node tools/s3-server.mjs --port=9000 --dir=/path/to/data [--bucket=vetlab] [--host=127.0.0.1]
 * Creates the bucket, then prints one line `s3 ready <port>` and serves until SIGTERM/SIGINT.
 * Credentials: any key id and secret are accepted (s3rver's own `S3RVER` pair is the documented one).
 */
import S3rver from 's3rver';
import { mkdirSync } from 'node:fs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const port = Number(arg('port', '9000'));
const host = arg('host', '127.0.0.1');
const dir = arg('dir', null);
const bucket = arg('bucket', 'vetlab');
if (!dir) {
  console.error('--dir=<folder> is required');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const server = new S3rver({ port, address: host, directory: dir, silent: true, configureBuckets: [{ name: bucket }] });
const { port: bound } = await server.run();
console.log(`s3 ready ${bound}`);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
