import { deflateSync } from 'node:zlib';
import { encodeJpeg } from '../../test/support/jpeg-encode';
import { crc32, encodePngRgb } from '../seed/signature-png';
import { decodeJpeg } from './jpeg-decode';
import { decodePng } from './png-decode';
import { flattenAndFit, UnreadableImageError } from './raster';
import { normalizeSignature, signatureKey } from './signature-image';

/** A PNG of any colour type and depth 8, rows unfiltered. */
function png(width: number, height: number, type: number, pixels: number[], extra: Buffer[] = []): Buffer {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[type]!;
  const raw = Buffer.alloc((width * channels + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(pixels.slice(y * width * channels, (y + 1) * width * channels)).copy(raw, y * (width * channels + 1) + 1);
  const chunk = (name: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(name, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, type, 0, 0, 0], 8);
  const chunks = [chunk('IHDR', ihdr), ...extra.map((e) => chunk(e.subarray(0, 4).toString('ascii'), e.subarray(4))), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))];
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ...chunks]);
}

describe('signature images', () => {
  it('decodes RGB, grey, grey+alpha, RGBA and palette PNGs', () => {
    expect(Array.from(decodePng(png(1, 1, 2, [10, 20, 30]), 10).rgba)).toEqual([10, 20, 30, 255]);
    expect(Array.from(decodePng(png(1, 1, 0, [77]), 10).rgba)).toEqual([77, 77, 77, 255]);
    expect(Array.from(decodePng(png(1, 1, 4, [77, 128]), 10).rgba)).toEqual([77, 77, 77, 128]);
    expect(Array.from(decodePng(png(1, 1, 6, [1, 2, 3, 4]), 10).rgba)).toEqual([1, 2, 3, 4]);
    const palette = Buffer.concat([Buffer.from('PLTE'), Buffer.from([0, 0, 0, 200, 100, 50])]);
    const trns = Buffer.concat([Buffer.from('tRNS'), Buffer.from([255, 0])]);
    expect(() => decodePng(png(2, 1, 3, [1, 0]), 10)).toThrow(UnreadableImageError); // no palette
    expect(Array.from(decodePng(png(2, 1, 3, [1, 0], [palette, trns]), 10).rgba)).toEqual([200, 100, 50, 0, 0, 0, 0, 255]);
  });

  it('flattens transparency onto white and fits the box keeping the aspect ratio, never enlarging', () => {
    const transparentInk = decodePng(png(2, 1, 6, [0, 0, 0, 0, 0, 0, 0, 255]), 10);
    expect(Array.from(flattenAndFit(transparentInk, 600, 200).rgb)).toEqual([255, 255, 255, 0, 0, 0]);
    const wide = { width: 1200, height: 100, rgba: new Uint8Array(1200 * 100 * 4).fill(255) };
    expect(flattenAndFit(wide, 600, 200)).toMatchObject({ width: 600, height: 50 });
    const tall = { width: 100, height: 1000, rgba: new Uint8Array(100 * 1000 * 4).fill(255) };
    expect(flattenAndFit(tall, 600, 200)).toMatchObject({ width: 20, height: 200 });
    // A box filter: half black, half white columns average to grey.
    const stripes = { width: 4, height: 1, rgba: Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]) };
    expect(Array.from(flattenAndFit(stripes, 2, 1).rgb)).toEqual([128, 128, 128, 128, 128, 128]);
  });

  it('decodes a baseline JPEG, colour and grey, close to what was encoded', () => {
    const rgb = Buffer.alloc(24 * 16 * 3);
    for (let i = 0; i < 24 * 16; i++) rgb.set([(i % 24) * 10, 90, Math.floor(i / 24) * 15], i * 3);
    const colour = decodeJpeg(encodeJpeg(24, 16, rgb), 1e6);
    expect([colour.width, colour.height]).toEqual([24, 16]);
    for (let i = 0; i < 24 * 16; i++) for (let c = 0; c < 3; c++) expect(Math.abs(colour.rgba[i * 4 + c] - rgb[i * 3 + c])).toBeLessThanOrEqual(3);
    const grey = decodeJpeg(encodeJpeg(9, 5, rgb.subarray(0, 9 * 5 * 3), true), 1e6);
    expect([grey.width, grey.height]).toEqual([9, 5]);
  });

  it('refuses what it cannot read, saying why', () => {
    expect(() => normalizeSignature(Buffer.from('hello, I am text'))).toThrow('not a PNG or JPEG');
    const good = encodePngRgb(2, 2, Buffer.alloc(12, 0));
    expect(() => normalizeSignature(good.subarray(0, 20))).toThrow(/truncated/);
    expect(() => decodePng(png(5000, 5000, 0, []), 6_000_000)).toThrow(/megapixels/);
    const jpeg = encodeJpeg(8, 8, Buffer.alloc(8 * 8 * 3, 100));
    expect(() => normalizeSignature(jpeg.subarray(0, jpeg.length - 40))).toThrow(UnreadableImageError);
  });

  it('keys are content addresses under the user', () => {
    const a = normalizeSignature(encodePngRgb(2, 1, Buffer.from([0, 0, 0, 255, 255, 255]))).png;
    expect(signatureKey('ABC-1', a)).toMatch(/^signatures\/abc-1\/[0-9a-f]{16}\.png$/);
    expect(signatureKey('abc-1', a)).toBe(signatureKey('abc-1', Buffer.from(a)));
  });
});
