import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UnreadableImageError } from './raster';

const TIMEOUT_MS = 30_000;

/**
 * The build has `signature-image.worker.js` beside this file; from TypeScript (jest, run-ts) the
 * thread loads the `.ts` through @swc-node/register, as the PDF render threads do.
 */
function entry(): { filename: string; execArgv?: string[]; env?: NodeJS.ProcessEnv } {
  const js = join(__dirname, 'signature-image.worker.js');
  if (__filename.endsWith('.js') && existsSync(js)) return { filename: js };
  return {
    filename: join(__dirname, 'signature-image.worker.ts'),
    execArgv: [...process.execArgv, '--require', require.resolve('@swc-node/register')],
    env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../tsconfig.json') },
  };
}

/**
 * normalizeSignature in a thread of its own: decoding a large JPEG takes seconds of CPU, which on
 * the request's thread would stall every other request (and Bull's lock renewals) meanwhile.
 * Uploads are rare, so a short-lived thread per upload, not a pool.
 */
export function normalizeInThread(bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { filename, execArgv, env } = entry();
    const worker = new Worker(filename, { workerData: bytes, execArgv, env });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new UnreadableImageError('the image took too long to read'));
    }, TIMEOUT_MS);
    worker.once('message', (m: { png?: Uint8Array; error?: string; unreadable?: boolean }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.png) resolve(Buffer.from(m.png));
      else reject(m.unreadable ? new UnreadableImageError(m.error ?? 'unreadable image') : new Error(m.error));
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}
