import { parentPort, workerData } from 'node:worker_threads';
import { UnreadableImageError } from './raster';
import { normalizeSignature } from './signature-image';

/** One upload's decoding, off the thread that serves HTTP (see normalizeInThread). */
try {
  const { png } = normalizeSignature(Buffer.from(workerData as Uint8Array));
  parentPort!.postMessage({ png });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message, unreadable: e instanceof UnreadableImageError });
}
