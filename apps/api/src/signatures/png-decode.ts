import { inflateSync } from 'node:zlib';
import { crc32 } from '../seed/signature-png';
import { RgbaImage, UnreadableImageError } from './raster';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const isPng = (b: Buffer) => b.length >= 8 && b.subarray(0, 8).equals(SIGNATURE);

/**
 * A PNG to RGBA, written here rather than taken from png-js, which throws from inside zlib's
 * callback (an uncaught exception) on a corrupt file and loops forever on a truncated one.
 * Every chunk's CRC is checked; all colour types and bit depths; interlaced files are refused.
 */
export function decodePng(b: Buffer, maxPixels: number): RgbaImage {
  if (!isPng(b)) throw new UnreadableImageError('not a PNG file');
  let pos = 8;
  let header: { width: number; height: number; depth: number; type: number; interlace: number } | null = null;
  let palette: Buffer | null = null;
  let trns: Buffer | null = null;
  const idat: Buffer[] = [];
  for (;;) {
    if (pos + 12 > b.length) throw new UnreadableImageError('the PNG file is truncated');
    const length = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > b.length) throw new UnreadableImageError('the PNG file is truncated');
    const data = b.subarray(pos + 8, pos + 8 + length);
    if (crc32(b.subarray(pos + 4, pos + 8 + length)) !== b.readUInt32BE(pos + 8 + length)) throw new UnreadableImageError(`the PNG file is corrupt (bad ${type} checksum)`);
    pos += 12 + length;
    if (type === 'IHDR') {
      header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), depth: data[8], type: data[9], interlace: data[12] };
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  if (!header || !idat.length) throw new UnreadableImageError('the PNG file has no image data');
  const { width, height, depth, type, interlace } = header;
  if (!width || !height || width * height > maxPixels) throw new UnreadableImageError(`the image is ${width}×${height} pixels; at most ${maxPixels / 1e6} megapixels are accepted (crop or shrink it)`);
  if (interlace) throw new UnreadableImageError('interlaced PNG files are not supported; save it without interlacing');
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
  if (!channels || ![1, 2, 4, 8, 16].includes(depth) || (type === 3 && !palette)) throw new UnreadableImageError('the PNG file has an unknown colour format');

  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    throw new UnreadableImageError('the PNG file is corrupt (its image data does not decompress)');
  }
  const bpp = Math.max(1, (channels * depth) / 8);
  const stride = Math.ceil((width * channels * depth) / 8);
  if (raw.length < (stride + 1) * height) throw new UnreadableImageError('the PNG file is truncated');
  const rows = unfilter(raw, stride, height, bpp);

  const out = new Uint8Array(width * height * 4);
  const sample = (row: Uint8Array, i: number): number => {
    if (depth === 8) return row[i];
    if (depth === 16) return row[i * 2];
    const perByte = 8 / depth;
    return (row[Math.floor(i / perByte)] >> (8 - depth * ((i % perByte) + 1))) & ((1 << depth) - 1);
  };
  const scale = depth < 8 && type !== 3 ? 255 / ((1 << depth) - 1) : 1;
  for (let y = 0; y < height; y++) {
    const row = rows[y];
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (type === 3) {
        const idx = sample(row, x);
        out.set([palette![idx * 3] ?? 0, palette![idx * 3 + 1] ?? 0, palette![idx * 3 + 2] ?? 0, trns && idx < trns.length ? trns[idx] : 255], o);
      } else {
        const v = (c: number) => Math.round(sample(row, x * channels + c) * scale);
        if (type === 0 || type === 4) {
          const g = v(0);
          out.set([g, g, g, type === 4 ? v(1) : 255], o);
        } else {
          out.set([v(0), v(1), v(2), type === 6 ? v(3) : 255], o);
        }
      }
    }
  }
  return { width, height, rgba: out };
}

/** Undoes the per-row filters (none, sub, up, average, Paeth). */
function unfilter(raw: Buffer, stride: number, height: number, bpp: number): Uint8Array[] {
  const rows: Uint8Array[] = [];
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const cur = Uint8Array.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const up = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      switch (filter) {
        case 0:
          break;
        case 1:
          cur[i] += a;
          break;
        case 2:
          cur[i] += up;
          break;
        case 3:
          cur[i] += (a + up) >> 1;
          break;
        case 4: {
          const p = a + up - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - up);
          const pc = Math.abs(p - c);
          cur[i] += pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
          break;
        }
        default:
          throw new UnreadableImageError('the PNG file is corrupt (unknown row filter)');
      }
    }
    rows.push(cur);
    prev = cur;
  }
  return rows;
}
