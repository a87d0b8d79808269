/**
 * Text measurement for the built-in Helvetica, so pages can be laid out before React-PDF sees them
 * (pure: no font files, no renderer). Widths are Adobe's AFM advance widths (1/1000 em) in WinAnsi
 * order, as PDFKit ships them for the standard fonts; kerning is ignored (it only ever narrows).
 */

const REGULAR_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584,
  584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278,
  278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
  500, 334, 260, 334, 584,
];
const REGULAR_LATIN1 = [
  278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834,
  834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
  722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 584, 611, 556,
  556, 556, 556, 500, 556, 500,
];
const BOLD_ASCII = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584,
  584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
  278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
  500, 389, 280, 389, 584,
];
const BOLD_LATIN1 = [
  278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834,
  834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722,
  722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 584, 611, 611,
  611, 611, 611, 556, 611, 556,
];
/** The WinAnsi characters outside Latin-1 that reports use (dashes, quotes, bullet, ellipsis, euro). */
const REGULAR_EXTRA: Record<number, number> = { 8211: 556, 8212: 1000, 8216: 222, 8217: 222, 8220: 333, 8221: 333, 8226: 350, 8230: 1000, 8364: 556 };
const BOLD_EXTRA: Record<number, number> = { 8211: 556, 8212: 1000, 8216: 278, 8217: 278, 8220: 500, 8221: 500, 8226: 350, 8230: 1000, 8364: 556 };
/** Anything else is drawn by a substitute; measure it as a wide glyph so estimates stay on the safe side. */
const UNKNOWN = 1000;

/** Other characters the 14 standard PDF fonts cannot draw (WinAnsi only), with a printable stand-in. */
const WIN_ANSI_OTHERS = new Set([0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x201a, 0x201e, 0x2020, 0x2021, 0x2030, 0x2039, 0x203a, 0x2122]);
const SUBSTITUTES: Record<string, string> = {
  '≤': '<=',
  '≥': '>=',
  '≈': '~',
  '≠': '!=',
  '−': '-',
  '↑': '^',
  '↓': 'v',
  '⁰': '^0',
  '⁴': '^4',
  '⁵': '^5',
  '⁶': '^6',
  '⁷': '^7',
  '⁸': '^8',
  '⁹': '^9',
  '⁺': '+',
  '⁻': '-',
  // Greek letters in analyte names (β-hidroxibutirato); μ becomes the micro sign Latin-1 has.
  'α': 'alfa',
  'β': 'beta',
  'γ': 'gamma',
  'δ': 'delta',
  'κ': 'kappa',
  'λ': 'lambda',
  'μ': 'µ',
  '\t': ' ',
};

export function charWidth(code: number, bold: boolean): number {
  if (code >= 32 && code <= 126) return (bold ? BOLD_ASCII : REGULAR_ASCII)[code - 32];
  if (code >= 160 && code <= 255) return (bold ? BOLD_LATIN1 : REGULAR_LATIN1)[code - 160];
  return (bold ? BOLD_EXTRA : REGULAR_EXTRA)[code] ?? UNKNOWN;
}

/** Width in points of one line of text. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (let i = 0; i < text.length; i++) units += charWidth(text.charCodeAt(i), bold);
  return (units * fontSize) / 1000;
}

const isWinAnsi = (code: number) =>
  (code >= 32 && code <= 126) || (code >= 160 && code <= 255) || code === 10 || code in REGULAR_EXTRA || WIN_ANSI_OTHERS.has(code);

/**
 * Makes text printable in the standard fonts: known symbols get a readable stand-in (≤ → <=,
 * ⁶ → ^6), other characters are decomposed to their base letter or replaced by "?". Without
 * this, the PDF would show unrelated glyphs (e.g. "×10v/µL").
 */
export function winAnsiSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    if (isWinAnsi(code)) out += ch;
    else if (SUBSTITUTES[ch] !== undefined) out += SUBSTITUTES[ch];
    else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += base && [...base].every((c) => isWinAnsi(c.codePointAt(0) ?? 0)) ? base : '?';
    }
  }
  return out;
}

/**
 * Greedy word wrap into lines no wider than `width`; hard line breaks are kept and a word longer
 * than a line is cut. React-PDF breaks lines with a different algorithm, so callers pass a width a
 * little narrower than the box: our estimate then never has fewer lines than the real layout.
 */
export function wrapLines(text: string, width: number, fontSize: number, bold = false): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, fontSize, bold) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (textWidth(line, fontSize, bold) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && textWidth(line.slice(0, cut), fontSize, bold) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}
