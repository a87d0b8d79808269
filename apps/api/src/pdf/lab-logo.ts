import { encodePngRgb } from '../seed/signature-png';

type Rgb = readonly [number, number, number];

const BRAND: Rgb = [15, 76, 92];
const ACCENT: Rgb = [64, 160, 170];
const WHITE: Rgb = [255, 255, 255];

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number, tilt = 0) => {
  const dx = x - cx;
  const dy = y - cy;
  const c = Math.cos(tilt);
  const s = Math.sin(tilt);
  const u = (dx * c + dy * s) / rx;
  const v = (-dx * s + dy * c) / ry;
  return u * u + v * v <= 1;
};

/** The emblem in unit coordinates (0..1): a paw print in a ring on a disc. */
function colourAt(x: number, y: number): Rgb {
  const r = Math.hypot(x - 0.5, y - 0.5);
  if (r > 0.5) return WHITE;
  if (r > 0.455) return BRAND;
  if (r > 0.425) return WHITE;
  const paw =
    inEllipse(x, y, 0.5, 0.63, 0.15, 0.12) ||
    inEllipse(x, y, 0.3, 0.45, 0.055, 0.075, -0.35) ||
    inEllipse(x, y, 0.42, 0.34, 0.06, 0.08, -0.12) ||
    inEllipse(x, y, 0.58, 0.34, 0.06, 0.08, 0.12) ||
    inEllipse(x, y, 0.7, 0.45, 0.055, 0.075, 0.35);
  if (paw) return WHITE;
  // A soft two-tone disc: brand at the top, accent towards the bottom.
  const t = Math.min(1, Math.max(0, (y - 0.1) / 0.8));
  return [0, 1, 2].map((i) => Math.round(BRAND[i] * (1 - t) + ACCENT[i] * t)) as unknown as Rgb;
}

let cached: Buffer | null = null;

/**
 * The laboratory's logo as an RGB PNG (no alpha: RGBA costs more to embed), drawn in code with
 * 4×4 supersampling and made once per process.
 */
export function labLogoPng(size = 128): Buffer {
  if (cached && size === 128) return cached;
  const pixels = Buffer.alloc(size * size * 3);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = colourAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          sum[0] += c[0];
          sum[1] += c[1];
          sum[2] += c[2];
        }
      }
      const o = (py * size + px) * 3;
      for (let i = 0; i < 3; i++) pixels[o + i] = Math.round(sum[i] / (n * n));
    }
  }
  const png = encodePngRgb(size, size, pixels);
  if (size === 128) cached = png;
  return png;
}
