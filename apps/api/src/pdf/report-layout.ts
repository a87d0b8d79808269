/**
 * Geometry of the report PDF, in points (A4). The paginator budgets pages with these numbers and
 * the document draws every block at most this tall (text is capped with maxLines), so a page never
 * overflows and React-PDF never has to split one (which is what makes a flowing page slow).
 *
 * Boxes holding text are not given fixed heights: React-PDF drops the lines of a text that its
 * box cannot fit, so a rounding error would blank a cell. Text sizes itself; budgets cap it.
 */
export const REPORT_LAYOUT = {
  page: { width: 595.28, height: 841.89, marginTop: 34, marginBottom: 56, marginX: 40 },
  /** Page 1: letterhead, then the protocol/patient/requester block (heights include the gap below). */
  letterhead: { height: 62, gapAfter: 10, logo: 46, titleWidth: 170 },
  infoBlock: { height: 104, gapAfter: 4, columns: [138, 160, 215.78], paddingX: 10, labelWidth: 58 },
  /** Later pages: a one-line running header. */
  runningHeader: { height: 26, gapAfter: 6 },
  section: { gapBefore: 10, titleHeight: 18, tableHeaderHeight: 15, bottomRule: 0.75, minRowsAtStart: 2 },
  /**
   * Result rows: every line of a table is `pitch` tall (a row is lines × pitch), so a table's
   * columns can each be drawn as one text, which is what keeps a page cheap to render.
   * React-PDF puts a line's spare leading below the glyphs: `textOffset` moves the text down so it
   * sits in the middle of its row's stripe.
   */
  row: { fontSize: 8.5, markFontSize: 7.5, pitch: 15, paddingX: 4, maxLines: 4, textOffset: 2.5 },
  /** Columns of a results table; they add up to the content width. */
  columns: { name: 212, result: 113, unit: 68, reference: 122.28 },
  observations: { gapBefore: 14, titleHeight: 17, fontSize: 9, lineHeight: 12.5, paddingX: 8, paddingY: 4, minLines: 3 },
  /** An amendment's "replaces version n, reason" box at the top of page 1. */
  amendment: { gapBefore: 8, fontSize: 9, lineHeight: 12.5, paddingX: 8, paddingY: 4 },
  /** Footer on every page: its distance from the bottom edge (it lives in the bottom margin). */
  footer: { bottom: 20 },
  /** Signature, signer, validation date and the closing notes; the verification QR code between them. */
  closing: { gapBefore: 14, height: 112, signatureWidth: 170, qrWidth: 74, qrSize: 64 },
} as const;

export const CONTENT_WIDTH = REPORT_LAYOUT.page.width - 2 * REPORT_LAYOUT.page.marginX;
export const CONTENT_HEIGHT = REPORT_LAYOUT.page.height - REPORT_LAYOUT.page.marginTop - REPORT_LAYOUT.page.marginBottom;

export const FIRST_HEADER_HEIGHT =
  REPORT_LAYOUT.letterhead.height + REPORT_LAYOUT.letterhead.gapAfter + REPORT_LAYOUT.infoBlock.height + REPORT_LAYOUT.infoBlock.gapAfter;
export const LATER_HEADER_HEIGHT = REPORT_LAYOUT.runningHeader.height + REPORT_LAYOUT.runningHeader.gapAfter;

/**
 * Width a pre-broken line may use in a box, when lines are joined with "\n" in one text:
 * React-PDF counts the line break as a glyph of 400/1000 em (the standard fonts have none), so
 * a line that fills the box would wrap again. Measured: lines up to `box - 0.4 em - 1.1 pt` never
 * re-wrap; this keeps a little more.
 */
export const lineFitWidth = (box: number, fontSize: number) => box - 0.4 * fontSize - 1.5;

export const rowHeight = (lines: number) => lines * REPORT_LAYOUT.row.pitch;

/** A table's fixed parts: the gap above it, title, column headings and the rule under its rows. */
export const sectionHeadHeight = () => {
  const s = REPORT_LAYOUT.section;
  return s.gapBefore + s.titleHeight + s.tableHeaderHeight + s.bottomRule + REPORT_LAYOUT.row.textOffset;
};

export const observationsHeight = (lines: number) => {
  const o = REPORT_LAYOUT.observations;
  return o.gapBefore + o.titleHeight + 2 * o.paddingY + lines * o.lineHeight;
};

export const amendmentHeight = (lines: number) => {
  const a = REPORT_LAYOUT.amendment;
  return a.gapBefore + 2 * a.paddingY + lines * a.lineHeight;
};

export const closingHeight = () => REPORT_LAYOUT.closing.gapBefore + REPORT_LAYOUT.closing.height;
