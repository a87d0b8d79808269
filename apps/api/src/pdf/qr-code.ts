import qrcode from 'qrcode-generator';

export interface QrPath {
  /** Modules per side (without the quiet zone). */
  size: number;
  /** SVG path data in module units: one rectangle per horizontal run of dark modules. */
  path: string;
}

/**
 * A QR code (error correction M) as one SVG path: a single vector shape is the cheapest thing for
 * React-PDF to draw, and stays sharp when printed. Upper-case codes such as P-2026-000123 fit the
 * compact alphanumeric mode.
 */
export function qrPath(text: string): QrPath {
  const qr = qrcode(0, 'M');
  qr.addData(text, /^[0-9A-Z $%*+\-./:]*$/.test(text) ? 'Alphanumeric' : 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const parts: string[] = [];
  for (let y = 0; y < size; y++) {
    let x = 0;
    while (x < size) {
      if (!qr.isDark(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && qr.isDark(y, x)) x++;
      parts.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  }
  return { size, path: parts.join('') };
}
