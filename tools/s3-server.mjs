#!/usr/bin/env node
/**
 * An S3-compatible server on this machine (s3rver, from npm), for the tests, the bench and
 * `npm run cluster`: its objects are files in a folder, so it stops and starts for real.
 *   node tools/s3-server.mjs --port=9000 --dir=/path/to/data [--bucket=vetlab] [--host=127.0.0.1]
 * Creates the bucket, then prints one line `s3 ready <port>` and serves until SIGTERM/SIGINT.
 * Credentials: any key id and secret are accepted (s3rver's own `S3RVER` pair is the documented one).
 * Conditional writes: a PutObject with `If-None-Match: *` on a key that exists is refused with 412, as
 * AWS S3 does (s3rver itself ignores the header); `--no-conditional-writes` leaves s3rver as it is,
 * like the S3-compatible servers that do not support them.
 * Uploads: a PutObject is stored only once its whole body (Content-Length) arrived and matched its
 * `x-amz-checksum-sha256`, as AWS S3 does (400 IncompleteBody / BadDigest otherwise); s3rver alone
 * would keep whatever part of a cut upload arrived. An object is written to a temporary file and
 * renamed into place before the put is answered: a reader gets the old object or the new one, whole
 * (s3rver alone answers before its write is done, and writes in place).
 */
import S3rver from 's3rver';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';

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
if (!process.argv.includes('--no-conditional-writes')) server.middleware.unshift(conditionalWrites(server.store));
server.middleware.unshift(checkedUploads());
wholeObjects(server.store);
const { port: bound } = await server.run();
console.log(`s3 ready ${bound}`);
const stop = () => server.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

/**
 * `If-None-Match: *` on a path-style PutObject: 412 PreconditionFailed when the object exists. Puts
 * of one key go one at a time (the check and the write are one step), so of two racing conditional
 * writers exactly one stores.
 */
function conditionalWrites(store) {
  const queues = new Map();
  return async (ctx, next) => {
    const match = ctx.method === 'PUT' && !('uploadId' in ctx.query) && /^\/([^/]+)\/(.+)$/.exec(ctx.path);
    if (!match) return next();
    const id = `${match[1]}/${match[2]}`;
    const previous = queues.get(id) ?? Promise.resolve();
    let done;
    const mine = new Promise((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    queues.set(id, tail);
    await previous;
    try {
      if (ctx.get('if-none-match') === '*') {
        const exists = await store.getMetadata(match[1], decodeURIComponent(match[2])).then(
          () => true,
          () => false,
        );
        if (exists) {
          ctx.status = 412;
          ctx.type = 'application/xml';
          ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>';
          return;
        }
      }
      await next();
    } finally {
      done();
      if (queues.get(id) === tail) queues.delete(id);
    }
  };
}

/** Reads a PutObject's body whole before s3rver sees it, and refuses one that is short or does not match its SHA-256. */
function checkedUploads() {
  const refuse = (ctx, code, message) => {
    ctx.status = 400;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  };
  return async (ctx, next) => {
    if (ctx.method !== 'PUT' || 'uploadId' in ctx.query || !/^\/[^/]+\/.+$/.test(ctx.path)) return next();
    const chunks = [];
    try {
      for await (const chunk of ctx.req) chunks.push(chunk);
    } catch {
      return; // the client went away mid-upload: nothing is stored
    }
    const body = Buffer.concat(chunks);
    const expected = ctx.get('content-length');
    if (ctx.req.aborted || (expected && Number(expected) !== body.length)) return refuse(ctx, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
    const sha = ctx.get('x-amz-checksum-sha256');
    if (sha && createHash('sha256').update(body).digest('base64') !== sha) return refuse(ctx, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
    ctx.req = Readable.from([body]);
    return next();
  };
}

/**
 * s3rver's filesystem store, made whole-object: a put is buffered, then written to a temporary file
 * and renamed into place, with its metadata, before it answers; a get reads the metadata and opens
 * the file (which then keeps the version it opened) with no put of that key in between. (s3rver
 * alone answers a put before its write is done, writes in place, and may pair one version's
 * length with another's bytes.)
 */
function wholeObjects(store) {
  const locks = new Map();
  const exclusive = async (id, fn) => {
    const previous = locks.get(id) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (locks.get(id) === tail) locks.delete(id);
    }
  };
  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) => exclusive(`${bucket}/${key}`, () => getObject(bucket, key, options));
  store.putObject = async (object) => {
    const chunks = [];
    if (Buffer.isBuffer(object.content)) chunks.push(object.content);
    else for await (const chunk of object.content) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const md5 = createHash('md5').update(body).digest('hex');
    return exclusive(`${object.bucket}/${object.key}`, async () => {
      const path = store.getResourcePath(object.bucket, object.key, 'object');
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, path);
      await store.putMetadata(object.bucket, object.key, object.metadata, md5);
      return { size: body.length, md5 };
    });
  };
}
