import { RgbaImage, UnreadableImageError } from './raster';

export const isJpeg = (b: Buffer) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Natural-order index of the k-th coefficient in zig-zag order. */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
  44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** cos((2x+1)uπ/16)·C(u)/2, the separable IDCT's basis. */
const BASIS = Array.from({ length: 8 }, (_, x) => Array.from({ length: 8 }, (_, u) => ((u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2));

interface Huffman {
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  /** Blocks per line and column, padded to whole MCUs. */
  bw: number;
  bh: number;
  /** Decoded samples, bw*8 × bh*8. */
  pixels: Uint8Array;
  dc: number;
  td: number;
  ta: number;
}

/**
 * A baseline (sequential, Huffman) JPEG to RGBA: grey or YCbCr, any chroma subsampling, restart
 * intervals. Progressive and arithmetic-coded files and CMYK are refused with a message saying so
 * (a signature scanned or photographed is baseline almost always). Written here because no JPEG
 * decoder is among the project's dependencies.
 */
export function decodeJpeg(b: Buffer, maxPixels: number): RgbaImage {
  if (!isJpeg(b)) throw new UnreadableImageError('not a JPEG file');
  const quant: Int32Array[] = [];
  const dcTables: Huffman[] = [];
  const acTables: Huffman[] = [];
  let frame: { width: number; height: number; comps: Component[]; hmax: number; vmax: number; mcusX: number; mcusY: number } | null = null;
  let restart = 0;
  let pos = 2;
  const truncated = () => new UnreadableImageError('the JPEG file is truncated');
  for (;;) {
    while (pos < b.length && b[pos] !== 0xff) pos++;
    while (pos < b.length && b[pos] === 0xff) pos++;
    if (pos >= b.length) throw truncated();
    const marker = b[pos++];
    if (marker === 0xd9) break;
    if (marker >= 0xd0 && marker <= 0xd7) continue;
    if (pos + 2 > b.length) throw truncated();
    const len = b.readUInt16BE(pos);
    const seg = b.subarray(pos + 2, pos + len);
    if (pos + len > b.length || len < 2) throw truncated();
    pos += len;
    if (marker === 0xdb) {
      for (let i = 0; i < seg.length; ) {
        const precision = seg[i] >> 4;
        const id = seg[i++] & 15;
        const table = new Int32Array(64);
        for (let k = 0; k < 64; k++) table[k] = precision ? seg.readUInt16BE(i + k * 2) : seg[i + k];
        i += precision ? 128 : 64;
        quant[id] = table;
      }
    } else if (marker === 0xc4) {
      for (let i = 0; i < seg.length; ) {
        const cls = seg[i] >> 4;
        const id = seg[i++] & 15;
        const counts = seg.subarray(i, i + 16);
        i += 16;
        const total = counts.reduce((s, c) => s + c, 0);
        const table = buildHuffman(counts, seg.subarray(i, i + total));
        i += total;
        (cls ? acTables : dcTables)[id] = table;
      }
    } else if (marker === 0xdd) {
      restart = seg.readUInt16BE(0);
    } else if (marker === 0xc0 || marker === 0xc1) {
      if (seg[0] !== 8) throw new UnreadableImageError('12-bit JPEG files are not supported');
      const height = seg.readUInt16BE(1);
      const width = seg.readUInt16BE(3);
      const n = seg[5];
      if (!width || !height || width * height > maxPixels) throw new UnreadableImageError(`the image is ${width}×${height} pixels; at most ${maxPixels / 1e6} megapixels are accepted (crop or shrink it)`);
      if (n !== 1 && n !== 3) throw new UnreadableImageError('CMYK JPEG files are not supported; save it as RGB');
      const comps: Component[] = [];
      for (let c = 0; c < n; c++) comps.push({ id: seg[6 + c * 3], h: seg[7 + c * 3] >> 4 || 1, v: seg[7 + c * 3] & 15 || 1, tq: seg[8 + c * 3], bw: 0, bh: 0, pixels: new Uint8Array(0), dc: 0, td: 0, ta: 0 });
      const hmax = Math.max(...comps.map((c) => c.h));
      const vmax = Math.max(...comps.map((c) => c.v));
      const mcusX = Math.ceil(width / (8 * hmax));
      const mcusY = Math.ceil(height / (8 * vmax));
      for (const c of comps) {
        c.bw = mcusX * c.h;
        c.bh = mcusY * c.v;
        c.pixels = new Uint8Array(c.bw * 8 * c.bh * 8);
      }
      frame = { width, height, comps, hmax, vmax, mcusX, mcusY };
    } else if (marker >= 0xc2 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      throw new UnreadableImageError('progressive or arithmetic-coded JPEG files are not supported; save it as a baseline JPEG or as PNG');
    } else if (marker === 0xda) {
      if (!frame) throw new UnreadableImageError('the JPEG file is corrupt (scan before frame)');
      const scan: Component[] = [];
      for (let i = 0; i < seg[0]; i++) {
        const c = frame.comps.find((x) => x.id === seg[1 + i * 2]);
        if (!c) throw new UnreadableImageError('the JPEG file is corrupt (unknown component)');
        c.td = seg[2 + i * 2] >> 4;
        c.ta = seg[2 + i * 2] & 15;
        scan.push(c);
      }
      pos = decodeScan(b, pos, frame, scan, restart, quant, dcTables, acTables);
    }
  }
  if (!frame) throw new UnreadableImageError('the JPEG file has no image');
  return toRgba(frame);
}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    valPtr[l] = k;
    minCode[l] = code;
    code += counts[l - 1];
    k += counts[l - 1];
    maxCode[l] = counts[l - 1] ? code - 1 : -1;
    code <<= 1;
  }
  return { maxCode, valPtr, minCode, values: Uint8Array.from(values) };
}

/** Decodes one scan's entropy-coded data from `pos`; returns where it ended (the next marker). */
function decodeScan(
  b: Buffer,
  start: number,
  frame: { comps: Component[]; hmax: number; vmax: number; mcusX: number; mcusY: number; width: number; height: number },
  scan: Component[],
  restart: number,
  quant: Int32Array[],
  dcTables: Huffman[],
  acTables: Huffman[],
): number {
  let pos = start;
  let bits = 0;
  let nbits = 0;
  let atMarker = false;
  const readBit = (): number => {
    if (!nbits) {
      let byte = 0;
      if (!atMarker && pos < b.length) {
        byte = b[pos];
        if (byte === 0xff) {
          const next = b[pos + 1];
          if (next === 0) pos += 2;
          else {
            atMarker = true;
            byte = 0;
          }
        } else pos++;
      }
      bits = byte;
      nbits = 8;
    }
    nbits--;
    return (bits >> nbits) & 1;
  };
  const receive = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | readBit();
    return v;
  };
  const extend = (v: number, n: number) => (n && v < 1 << (n - 1) ? v - (1 << n) + 1 : v);
  const decode = (t: Huffman | undefined): number => {
    if (!t) throw new UnreadableImageError('the JPEG file is corrupt (missing Huffman table)');
    let code = 0;
    for (let l = 1; l <= 16; l++) {
      code = (code << 1) | readBit();
      if (code <= t.maxCode[l]) return t.values[t.valPtr[l] + code - t.minCode[l]];
    }
    throw new UnreadableImageError('the JPEG file is corrupt (bad Huffman code)');
  };
  const coef = new Float64Array(64);
  const tmp = new Float64Array(64);
  const decodeBlock = (c: Component, row: number, col: number) => {
    const q = quant[c.tq];
    if (!q) throw new UnreadableImageError('the JPEG file is corrupt (missing quantization table)');
    coef.fill(0);
    const s = decode(dcTables[c.td]);
    c.dc += s ? extend(receive(s), s) : 0;
    coef[0] = c.dc * q[0];
    for (let k = 1; k < 64; ) {
      const rs = decode(acTables[c.ta]);
      const r = rs >> 4;
      const size = rs & 15;
      if (!size) {
        if (r !== 15) break;
        k += 16;
        continue;
      }
      k += r;
      if (k > 63) throw new UnreadableImageError('the JPEG file is corrupt (coefficient out of range)');
      coef[ZIGZAG[k]] = extend(receive(size), size) * q[k];
      k++;
    }
    if (row >= c.bh || col >= c.bw) return;
    // Separable inverse DCT: rows, then columns.
    for (let v = 0; v < 8; v++)
      for (let x = 0; x < 8; x++) {
        let sum = 0;
        for (let u = 0; u < 8; u++) sum += BASIS[x][u] * coef[v * 8 + u];
        tmp[v * 8 + x] = sum;
      }
    const lineWidth = c.bw * 8;
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        let sum = 0;
        for (let v = 0; v < 8; v++) sum += BASIS[y][v] * tmp[v * 8 + x];
        const value = Math.round(sum + 128);
        c.pixels[(row * 8 + y) * lineWidth + col * 8 + x] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
  };

  // One component alone is coded block by block over its own size; several, MCU by MCU.
  const single = scan.length === 1;
  const c0 = scan[0];
  const unitsX = single ? Math.ceil(Math.ceil((frame.width * c0.h) / frame.hmax) / 8) : frame.mcusX;
  const unitsY = single ? Math.ceil(Math.ceil((frame.height * c0.v) / frame.vmax) / 8) : frame.mcusY;
  for (const c of scan) c.dc = 0;
  const total = unitsX * unitsY;
  for (let n = 0; n < total; n++) {
    if (restart && n > 0 && n % restart === 0) {
      // Byte-align, step over the RSTn marker, reset the DC predictions.
      nbits = 0;
      atMarker = false;
      while (pos < b.length && !(b[pos] === 0xff && b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7)) pos++;
      pos += 2;
      for (const c of scan) c.dc = 0;
    }
    const my = Math.floor(n / unitsX);
    const mx = n % unitsX;
    if (single) decodeBlock(c0, my, mx);
    else for (const c of scan) for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(c, my * c.v + v, mx * c.h + h);
  }
  // Find the marker after the scan.
  while (pos < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0 && !(b[pos + 1] >= 0xd0 && b[pos + 1] <= 0xd7))) pos++;
  return pos;
}

function toRgba(frame: { width: number; height: number; comps: Component[]; hmax: number; vmax: number }): RgbaImage {
  const { width, height, comps, hmax, vmax } = frame;
  const out = new Uint8Array(width * height * 4);
  const at = (c: Component, x: number, y: number) => c.pixels[Math.floor((y * c.v) / vmax) * c.bw * 8 + Math.floor((x * c.h) / hmax)];
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      const Y = at(comps[0], x, y);
      if (comps.length === 1) out.set([Y, Y, Y, 255], o);
      else {
        const cb = at(comps[1], x, y) - 128;
        const cr = at(comps[2], x, y) - 128;
        out.set([clamp(Y + 1.402 * cr), clamp(Y - 0.344136 * cb - 0.714136 * cr), clamp(Y + 1.772 * cb), 255], o);
      }
    }
  return out && { width, height, rgba: out };
}
