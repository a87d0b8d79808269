import { textWidth, winAnsiSafe, wrapLines } from './helvetica-metrics';
import type { ReportLanguage } from '@vetlab/shared';
import { wordingFor } from '../i18n/wording';
import { isOutOfRange } from './report-labels';
import {
  CONTENT_HEIGHT,
  CONTENT_WIDTH,
  FIRST_HEADER_HEIGHT,
  LATER_HEADER_HEIGHT,
  REPORT_LAYOUT,
  amendmentHeight,
  closingHeight,
  lineFitWidth,
  observationsHeight,
  rowHeight,
  sectionHeadHeight,
} from './report-layout';
import type { ReportPdfData } from './report-pdf-data';

export type ReportRow = ReportPdfData['sections'][number]['rows'][number];

/** One line of the result cell: the value (bold when out of range) and, on its last line, the mark. */
export interface ResultLine {
  text: string;
  mark?: string;
}

/**
 * A result row as drawn: every cell already broken into the lines that will be printed (the
 * document draws them as they are, so the estimate and the drawing cannot disagree), the row's
 * line count (its tallest cell) and height.
 */
export interface LaidOutRow {
  row: ReportRow;
  lines: number;
  height: number;
  name: string[];
  result: ResultLine[];
  /** Raw unit text (superscripts kept: the document draws them raised). */
  unit: string[];
  reference: string[];
}

export type PageBlock =
  /** One results table; `continued` when the section started on an earlier page. */
  | { kind: 'section'; title: string; continued: boolean; rows: LaidOutRow[] }
  | { kind: 'observations'; lines: string[]; continued: boolean }
  /** An amendment's "replaces version n. Reason: …", first on page 1. */
  | { kind: 'amendment'; lines: string[] }
  /** Signature, signer and closing notes: always on the page of the last observations. */
  | { kind: 'closing' };

export interface LaidOutPage {
  /** 1-based. */
  number: number;
  blocks: PageBlock[];
  /** Points used below the page header (always within the page's budget). */
  used: number;
}

const L = REPORT_LAYOUT;

export const pageBudget = (pageNumber: number) => CONTENT_HEIGHT - (pageNumber === 1 ? FIRST_HEADER_HEIGHT : LATER_HEADER_HEIGHT);

const cellWidth = (column: number) => lineFitWidth(column - 2 * L.row.paddingX, L.row.fontSize);

/** Text as lines of a cell: wrapped, at most `maxLines`, the last one cut with an ellipsis. */
export function fitLines(text: string, width: number, fontSize: number, bold: boolean, maxLines: number): string[] {
  const lines = wrapLines(text, width, fontSize, bold);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = ellipsize(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, width, fontSize, bold);
  return kept;
}

export function ellipsize(text: string, width: number, fontSize: number, bold: boolean): string {
  if (textWidth(text, fontSize, bold) <= width) return text;
  let end = text.length;
  while (end > 0 && textWidth(`${text.slice(0, end).trimEnd()}…`, fontSize, bold) > width) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** A row's lines in every column; its out-of-range mark is a word of the report's language. */
export function measureRow(row: ReportRow, language: ReportLanguage): LaidOutRow {
  const { fontSize, markFontSize, maxLines } = L.row;
  const out = isOutOfRange(row.flag);
  const name = fitLines(winAnsiSafe(row.name), cellWidth(L.columns.name), fontSize, false, maxLines);
  const unit = row.unit ? fitLines(row.unit, cellWidth(L.columns.unit), fontSize, false, maxLines) : [''];
  const reference = fitLines(winAnsiSafe(row.reference ?? '—'), cellWidth(L.columns.reference), fontSize, false, maxLines);

  const width = cellWidth(L.columns.result);
  const result: ResultLine[] = fitLines(winAnsiSafe(row.value ?? '—'), width, fontSize, out, maxLines).map((text) => ({ text }));
  const mark = row.flag ? wordingFor(language).flags[row.flag] : undefined;
  if (mark) {
    const markWidth = textWidth(`  ${mark}`, markFontSize, true);
    const last = result[result.length - 1];
    if (textWidth(last.text, fontSize, out) + markWidth <= width) last.mark = mark;
    else if (result.length < maxLines) result.push({ text: '', mark });
    else {
      last.text = ellipsize(`${last.text}…`, width - markWidth, fontSize, out);
      last.mark = mark;
    }
  }
  const lines = Math.max(name.length, result.length, unit.length, reference.length);
  return { row, lines, height: rowHeight(lines), name, result, unit, reference };
}

export function wrapObservations(text: string | null): string[] {
  if (!text?.trim()) return [];
  const o = L.observations;
  // Box width minus its padding and the accent border on the left. The lines are drawn as they
  // are, so each only has to fit.
  const width = lineFitWidth(CONTENT_WIDTH - 2 * o.paddingX - 3, o.fontSize);
  return wrapLines(winAnsiSafe(text.trim()), width, o.fontSize);
}

/** The lines of an amendment's note (none when the version is not an amendment with a reason). */
export function wrapAmendment(data: Pick<ReportPdfData, 'amendReason' | 'supersedesVersion' | 'language'>): string[] {
  if (!data.amendReason?.trim() || data.supersedesVersion == null) return [];
  const a = L.amendment;
  const width = lineFitWidth(CONTENT_WIDTH - 2 * a.paddingX - 3, a.fontSize);
  return wrapLines(winAnsiSafe(wordingFor(data.language).report.replaces(data.supersedesVersion, data.amendReason.trim())), width, a.fontSize, false);
}

/**
 * Splits a report into explicit pages with a fixed height budget, so React-PDF draws each page
 * once and render time stays linear in pages. A table continuing on the next page repeats its
 * header (marked "(cont.)"); a table starts only where its header and first rows fit; the
 * observations and the signature go to a new page when they do not fit, and observations longer
 * than a page are split with the signature after their last part.
 */
export function paginateReport(data: Pick<ReportPdfData, 'sections' | 'observations' | 'language'> & Partial<Pick<ReportPdfData, 'amendReason' | 'supersedesVersion'>>): LaidOutPage[] {
  const pages: LaidOutPage[] = [];
  let page: LaidOutPage = { number: 1, blocks: [], used: 0 };
  const remaining = () => pageBudget(page.number) - page.used;
  const nextPage = () => {
    pages.push(page);
    page = { number: page.number + 1, blocks: [], used: 0 };
  };

  const amendment = wrapAmendment({ amendReason: data.amendReason, supersedesVersion: data.supersedesVersion ?? null, language: data.language });
  if (amendment.length) {
    page.blocks.push({ kind: 'amendment', lines: amendment });
    page.used += amendmentHeight(amendment.length);
  }

  for (const section of data.sections) {
    const rows = section.rows.map((row) => measureRow(row, data.language));
    let i = 0;
    let continued = false;
    while (i < rows.length) {
      const atStart = rows.slice(i, i + L.section.minRowsAtStart).reduce((sum, r) => sum + r.height, 0);
      if (page.blocks.length > 0 && sectionHeadHeight() + atStart > remaining()) nextPage();
      const block: PageBlock = { kind: 'section', title: section.title, continued, rows: [] };
      page.blocks.push(block);
      page.used += sectionHeadHeight();
      // The first row always goes in, so a page always makes progress.
      do {
        block.rows.push(rows[i]);
        page.used += rows[i].height;
        i++;
      } while (i < rows.length && rows[i].height <= remaining());
      continued = true;
      if (i < rows.length) nextPage();
    }
  }

  const lines = wrapObservations(data.observations);
  const o = L.observations;
  let j = 0;
  for (;;) {
    const rest = lines.length - j;
    const tail = (rest > 0 ? observationsHeight(rest) : 0) + closingHeight();
    if (tail <= remaining()) {
      if (rest > 0) page.blocks.push({ kind: 'observations', lines: lines.slice(j), continued: j > 0 });
      page.blocks.push({ kind: 'closing' });
      page.used += tail;
      break;
    }
    // Everything left fits on a fresh page: start one rather than split.
    if (page.blocks.length > 0 && tail <= pageBudget(page.number + 1)) {
      nextPage();
      continue;
    }
    // Longer than a page: fill this one, keeping at least one line for the page with the signature.
    const fit = Math.min(Math.floor((remaining() - observationsHeight(0)) / o.lineHeight), rest - 1);
    if (fit < o.minLines && page.blocks.length > 0) {
      nextPage();
      continue;
    }
    const take = Math.max(1, fit);
    page.blocks.push({ kind: 'observations', lines: lines.slice(j, j + take), continued: j > 0 });
    page.used += observationsHeight(take);
    j += take;
    nextPage();
  }
  pages.push(page);
  return pages;
}
