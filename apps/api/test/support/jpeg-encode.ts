/**
 * A tiny baseline JPEG encoder for tests (no image tool is installed where they run): YCbCr 4:4:4
 * or grey, every quantizer 1, and Huffman tables of fixed-length codes (valid, if not small).
 */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
  44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];
const DC_SYMBOLS = Array.from({ length: 12 }, (_, i) => i);
const AC_SYMBOLS = [0x00, 0xf0, ...Array.from({ length: 16 * 10 }, (_, i) => ((i / 10) << 4) | ((i % 10) + 1))].map((s) => s & 0xff);

export function encodeJpeg(width: number, height: number, rgb: Uint8Array, grey = false): Buffer {
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, data: number[]) => out.push(0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data);
  segment(0xdb, [0, ...new Array(64).fill(1)]);
  const comps = grey ? 1 : 3;
  segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, comps, ...Array.from({ length: comps }, (_, i) => [i + 1, 0x11, 0]).flat()]);
  // DC: 12 symbols of 4 bits; AC: 162 symbols of 8 bits.
  const dcBits = new Array(16).fill(0);
  dcBits[3] = 12;
  const acBits = new Array(16).fill(0);
  acBits[7] = AC_SYMBOLS.length;
  segment(0xc4, [0x00, ...dcBits, ...DC_SYMBOLS, 0x10, ...acBits, ...AC_SYMBOLS]);
  segment(0xda, [comps, ...Array.from({ length: comps }, (_, i) => [i + 1, 0x00]).flat(), 0, 63, 0]);

  let acc = 0;
  let n = 0;
  const put = (value: number, bits: number) => {
    for (let i = bits - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++n === 8) {
        out.push(acc);
        if (acc === 0xff) out.push(0);
        acc = 0;
        n = 0;
      }
    }
  };
  const category = (v: number) => (v === 0 ? 0 : Math.floor(Math.log2(Math.abs(v))) + 1);
  const bitsOf = (v: number, s: number) => (v < 0 ? v + (1 << s) - 1 : v);

  // Samples per component, padded to whole blocks by repeating the last row and column.
  const bw = Math.ceil(width / 8) * 8;
  const bh = Math.ceil(height / 8) * 8;
  const planes = Array.from({ length: comps }, () => new Float64Array(bw * bh));
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      const o = (Math.min(y, height - 1) * width + Math.min(x, width - 1)) * 3;
      const [r, g, b] = [rgb[o], rgb[o + 1], rgb[o + 2]];
      planes[0][y * bw + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
      if (comps === 3) {
        planes[1][y * bw + x] = -0.168736 * r - 0.331264 * g + 0.5 * b;
        planes[2][y * bw + x] = 0.5 * r - 0.418688 * g - 0.081312 * b;
      }
    }
  // Separable forward DCT: cos((2x+1)uπ/16)·C(u)/2 along rows, then columns.
  const basis = Array.from({ length: 8 }, (_, u) => Array.from({ length: 8 }, (_, x) => ((u ? 1 : Math.SQRT1_2) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2));
  const dc = new Array(comps).fill(0);
  const tmp = new Float64Array(64);
  for (let by = 0; by < bh / 8; by++)
    for (let bx = 0; bx < bw / 8; bx++)
      for (let c = 0; c < comps; c++) {
        const p = planes[c];
        for (let y = 0; y < 8; y++)
          for (let u = 0; u < 8; u++) {
            let sum = 0;
            for (let x = 0; x < 8; x++) sum += basis[u][x] * p[(by * 8 + y) * bw + bx * 8 + x];
            tmp[y * 8 + u] = sum;
          }
        const coef = new Array(64).fill(0);
        for (let v = 0; v < 8; v++)
          for (let u = 0; u < 8; u++) {
            let sum = 0;
            for (let y = 0; y < 8; y++) sum += basis[v][y] * tmp[y * 8 + u];
            coef[v * 8 + u] = Math.round(sum);
          }
        const diff = coef[0] - dc[c];
        dc[c] = coef[0];
        const s = category(diff);
        put(s, 4);
        put(bitsOf(diff, s), s);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const value = coef[ZIGZAG[k]];
          if (!value) {
            run++;
            continue;
          }
          while (run > 15) {
            put(AC_SYMBOLS.indexOf(0xf0), 8);
            run -= 16;
          }
          const size = category(value);
          put(AC_SYMBOLS.indexOf((run << 4) | size), 8);
          put(bitsOf(value, size), size);
          run = 0;
        }
        if (run) put(AC_SYMBOLS.indexOf(0x00), 8);
      }
  if (n) put(0x7f, 8 - n);
  out.push(0xff, 0xd9);
  return Buffer.from(out);
}
