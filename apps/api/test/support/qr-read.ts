import jsQR from 'jsqr';

/**
 * What a QR reader finds in a grey image (one byte a pixel, 0 black to 255 white, rows top to
 * bottom), as a phone reads a printed page: the text, or undefined when it finds no code.
 */
export function readQr(grey: Uint8Array, width: number, height: number): string | undefined {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = grey[i];
    rgba[i * 4 + 3] = 255;
  }
  return jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' })?.data;
}
