import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { crc32, encodePngRgb, signaturePng } from './signature-png';

/** Reads the chunks back: enough of a PNG decoder to check what we write. */
function chunks(png: Buffer) {
  const out: { type: string; data: Buffer; crc: number }[] = [];
  let o = 8;
  while (o < png.length) {
    const len = png.readUInt32BE(o);
    const type = png.toString('ascii', o + 4, o + 8);
    out.push({ type, data: png.subarray(o + 8, o + 8 + len), crc: png.readUInt32BE(o + 8 + len) });
    o += 12 + len;
  }
  return out;
}

describe('signature PNG', () => {
  it('writes a valid 8-bit RGB PNG with correct checksums', () => {
    const png = signaturePng('Dra. Isabel Molina');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = cs[0].data;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9]]).toEqual([300, 100, 8, 2]);
    for (const c of cs) expect(c.crc).toBe(crc32(Buffer.concat([Buffer.from(c.type, 'ascii'), c.data])));
    const raw = inflateSync(cs[1].data);
    expect(raw.length).toBe((300 * 3 + 1) * 100);
  });

  it('draws ink on a white page, differently per signer, the same every time', () => {
    const inkPixels = (png: Buffer) => {
      const raw = inflateSync(chunks(png)[1].data);
      let dark = 0;
      for (let y = 0; y < 100; y++) {
        for (let x = 0; x < 300; x++) {
          const o = y * 901 + 1 + x * 3;
          if (raw[o] + raw[o + 1] + raw[o + 2] < 300) dark++;
        }
      }
      return dark;
    };
    const a = signaturePng('a');
    expect(inkPixels(a)).toBeGreaterThan(500);
    expect(inkPixels(a)).toBeLessThan(300 * 100 * 0.4);
    expect(signaturePng('a').equals(a)).toBe(true);
    expect(signaturePng('b').equals(a)).toBe(false);
  });

  it('computes the standard CRC-32', () => {
    const buf = Buffer.from('123456789');
    expect(crc32(buf)).toBe(0xcbf43926);
    if (typeof zlibCrc32 === 'function') expect(crc32(buf)).toBe(zlibCrc32(buf));
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() => encodePngRgb(2, 2, Buffer.alloc(5))).toThrow(/size/);
  });
});
