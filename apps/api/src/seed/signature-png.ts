import { deflateSync } from 'node:zlib';
import { Prng } from './prng';

/**
 * Signature images for demo signers: a pen-like cursive stroke drawn in code and written as an
 * RGB PNG (no alpha: RGBA images cost more to print in the PDF renderer).
 */
export function signaturePng(seed: string, width = 300, height = 100): Buffer {
  const canvas = new RgbCanvas(width, height);
  const r = new Prng(`signature:${seed}`);
  const ink: Rgb = [r.int(10, 40), r.int(30, 60), r.int(110, 150)];

  // Cursive: a baseline drifting slightly upwards, loops of varying height, a final flourish.
  const loops = r.int(5, 8);
  const left = width * 0.08;
  const span = width * 0.78;
  const base = height * 0.62;
  const amps = Array.from({ length: loops }, () => r.float(0.12, 0.38) * height);
  const steps = 1400;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    const phase = t * loops * 2 * Math.PI;
    const loop = Math.min(loops - 1, Math.floor(t * loops));
    const x = left + t * span - Math.sin(phase) * width * 0.03;
    const y = base - t * height * 0.12 - Math.abs(Math.sin(phase / 2)) * amps[loop] + Math.sin(phase) * height * 0.04;
    // Pressure: thicker in the middle of a stroke, thinner at its ends.
    canvas.dot(x, y, 1.1 + 0.7 * Math.sin(Math.PI * t), ink);
  }
  // Underline flourish.
  const y0 = base + height * 0.14;
  for (let i = 0; i <= 600; i++) {
    const t = i / 600;
    const x = left * 0.8 + t * span * 1.05;
    const y = y0 + Math.sin(t * Math.PI * 1.2) * height * -0.06 + t * height * 0.03;
    canvas.dot(x, y, 0.9 + 0.4 * (1 - t), ink);
  }
  return encodePngRgb(width, height, canvas.pixels);
}

type Rgb = [number, number, number];

class RgbCanvas {
  readonly pixels: Buffer;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.pixels = Buffer.alloc(width * height * 3, 0xff);
  }

  /** An antialiased round nib: blends the ink by how much of each pixel the disc covers. */
  dot(cx: number, cy: number, radius: number, ink: Rgb) {
    for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
      for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
        if (x < 0 || y < 0 || x >= this.width || y >= this.height) continue;
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const cover = Math.max(0, Math.min(1, radius + 0.5 - d));
        if (cover <= 0) continue;
        const o = (y * this.width + x) * 3;
        for (let c = 0; c < 3; c++) {
          // Darken only: overlapping dots never lighten a stroke.
          const blended = Math.round(this.pixels[o + c] * (1 - cover) + ink[c] * cover);
          this.pixels[o + c] = Math.min(this.pixels[o + c], blended);
        }
      }
    }
  }
}

/** A minimal PNG: 8-bit RGB, no interlace, filter 0 on every row. */
export function encodePngRgb(width: number, height: number, rgb: Buffer): Buffer {
  if (rgb.length !== width * height * 3) throw new Error('pixel buffer does not match the size');
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) rgb.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
