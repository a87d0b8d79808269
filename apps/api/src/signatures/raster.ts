/** Decoded pixels, 8-bit RGBA, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The bytes are no image this server can read; the message says why, for the person who sent it. */
export class UnreadableImageError extends Error {}

/**
 * Flattens the image onto white (a transparent signature prints as ink on paper) and shrinks it to
 * fit `maxWidth`×`maxHeight`, keeping its aspect ratio (never enlarged). The shrinking is a box
 * filter: each output pixel is the coverage-weighted average of the source pixels under it.
 */
export function flattenAndFit(img: RgbaImage, maxWidth: number, maxHeight: number): { width: number; height: number; rgb: Buffer } {
  const ratio = Math.min(1, maxWidth / img.width, maxHeight / img.height);
  const width = Math.max(1, Math.round(img.width * ratio));
  const height = Math.max(1, Math.round(img.height * ratio));
  const flat = new Float32Array(img.width * img.height * 3);
  for (let i = 0, j = 0; i < img.rgba.length; i += 4, j += 3) {
    const a = img.rgba[i + 3] / 255;
    for (let c = 0; c < 3; c++) flat[j + c] = img.rgba[i + c] * a + 255 * (1 - a);
  }
  const rgb = Buffer.alloc(width * height * 3);
  const sx = img.width / width;
  const sy = img.height / height;
  for (let ty = 0; ty < height; ty++) {
    const y0 = ty * sy;
    const y1 = y0 + sy;
    for (let tx = 0; tx < width; tx++) {
      const x0 = tx * sx;
      const x1 = x0 + sx;
      const sum = [0, 0, 0];
      let weight = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const o = (y * img.width + x) * 3;
          sum[0] += flat[o] * w;
          sum[1] += flat[o + 1] * w;
          sum[2] += flat[o + 2] * w;
          weight += w;
        }
      }
      const o = (ty * width + tx) * 3;
      for (let c = 0; c < 3; c++) rgb[o + c] = Math.round(sum[c] / weight);
    }
  }
  return { width, height, rgb };
}
