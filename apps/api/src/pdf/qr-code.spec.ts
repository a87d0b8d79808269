import { readQr } from '../../test/support/qr-read';
import { qrPath } from './qr-code';

/** Paints the path's rectangles back into a grid (each part is `M x y h w v1 h -w z`). */
function paint({ size, path }: { size: number; path: string }): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    const [x, y, w, back] = m.slice(1).map(Number);
    expect(back).toBe(w);
    for (let i = 0; i < w; i++) grid[y][x + i] = true;
  }
  return grid;
}

/** The grid as a black-on-white image (4 pixels a module, a quiet zone of 4 modules), read by a QR decoder. */
function decode(grid: boolean[][]): string | undefined {
  const scale = 4;
  const quiet = 4;
  const side = (grid.length + 2 * quiet) * scale;
  const grey = new Uint8Array(side * side).fill(255);
  grid.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        const start = ((y + quiet) * scale + dy) * side + (x + quiet) * scale;
        grey.fill(0, start, start + scale);
      }
    }),
  );
  return readQr(grey, side, side);
}

describe('qrPath', () => {
  it('draws a version-1 code for a protocol code, with the three finder patterns', () => {
    const qr = qrPath('P-2026-000123');
    expect(qr.size).toBe(21);
    const grid = paint(qr);
    // A finder pattern: a dark 7×7 ring around a light ring around a dark 3×3 core.
    for (const [ox, oy] of [[0, 0], [14, 0], [0, 14]]) {
      expect(grid[oy][ox]).toBe(true);
      expect(grid[oy + 1][ox + 1]).toBe(false);
      expect(grid[oy + 3][ox + 3]).toBe(true);
      expect(grid[oy + 6][ox + 6]).toBe(true);
    }
    expect(qr.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
  });

  it('reads back as the text it encodes: a verification address, a protocol code, text with accents', () => {
    for (const text of ['https://lab.example.com/verificar/7KQ2-M9XD-4TPA', 'http://localhost:3000/verificar/ABCD-EFGH-1234', 'P-2026-000123', 'orden de trabajo ñ']) {
      expect(decode(paint(qrPath(text)))).toBe(text);
    }
  });

  it('is deterministic and differs between codes; any text is encoded', () => {
    expect(qrPath('P-2026-000123')).toEqual(qrPath('P-2026-000123'));
    expect(qrPath('P-2026-000123').path).not.toBe(qrPath('P-2026-000124').path);
    expect(qrPath('orden de trabajo ñ').size).toBeGreaterThanOrEqual(21);
  });
});
