import { createHash } from 'node:crypto';
import { encodePngRgb } from '../seed/signature-png';
import { FileStorage } from '../storage/file-storage';
import { decodeJpeg, isJpeg } from './jpeg-decode';
import { decodePng, isPng } from './png-decode';
import { flattenAndFit, UnreadableImageError } from './raster';

/** The box a stored signature fits in: three times what the report prints (135×45 pt), for print sharpness. */
export const SIGNATURE_BOX = { width: 600, height: 200 } as const;
/**
 * A bigger picture is refused before decoding: a small file can claim an enormous size, and a
 * JPEG's decoding takes about a second per 1.5 megapixels (of a thread of its own: signature-thread.ts).
 */
const MAX_PIXELS = 6_000_000;

/**
 * Any PNG or JPEG, told by its content (never by the name or Content-Type it came with), as the PNG
 * the reports print: flattened onto white, shrunk to fit SIGNATURE_BOX, RGB. Throws
 * UnreadableImageError, saying why, for anything else or a corrupt file.
 */
export function normalizeSignature(bytes: Buffer): { png: Buffer; width: number; height: number } {
  const decoded = isPng(bytes) ? decodePng(bytes, MAX_PIXELS) : isJpeg(bytes) ? decodeJpeg(bytes, MAX_PIXELS) : null;
  if (!decoded) throw new UnreadableImageError('the file is not a PNG or JPEG image');
  const fitted = flattenAndFit(decoded, SIGNATURE_BOX.width, SIGNATURE_BOX.height);
  return { png: encodePngRgb(fitted.width, fitted.height, fitted.rgb), width: fitted.width, height: fitted.height };
}

/** Content-addressed: the same image twice is one file, and a new one never overwrites an old one a PDF may still need. */
export const signatureKey = (userId: string, png: Buffer) => `signatures/${userId.toLowerCase()}/${createHash('sha256').update(png).digest('hex').slice(0, 16)}.png`;

/** Stores the normalized PNG (if not there already) and returns its key. */
export async function storeSignature(storage: FileStorage, userId: string, png: Buffer): Promise<string> {
  const key = signatureKey(userId, png);
  await storage.create(key, png);
  return key;
}

/** A stored signature's bytes, or null when the file is missing. */
export async function readSignature(storage: FileStorage, key: string): Promise<Buffer | null> {
  const file = await storage.open(key);
  if (!file) return null;
  if (file.bytes) return file.bytes;
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export { UnreadableImageError };
