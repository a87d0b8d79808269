import { Text, View } from '@react-pdf/renderer';
import type { Style } from '@react-pdf/types';
import { ReportLanguage, ResultFlag } from '@vetlab/shared';
import type { ReactNode } from 'react';
import { winAnsiSafe as t } from './helvetica-metrics';
import type { LaidOutRow, PageBlock } from './paginate-report';
import { label, wordingFor } from '../i18n/wording';
import { isOutOfRange } from './report-labels';
import { REPORT_LAYOUT as L } from './report-layout';
import { S } from './report-styles';

/**
 * A results table of the report. Each column of a table chunk is ONE text (rows and wrapped lines
 * joined by line breaks, every line `pitch` tall) over a layer of row stripes: a few text nodes per
 * table instead of four per row is what keeps a page cheap to lay out. The paginator has already
 * broken every cell into lines narrow enough that React-PDF keeps them as they are.
 */

/** No-break space: a blank line that still takes its line's height. */
const NBSP = '\u00a0';
/** Superscripts Latin-1 lacks (it has ¹ ² ³): drawn as raised digits. */
const RAISED: Record<string, string> = { '⁰': '0', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9', '⁺': '+', '⁻': '-' };
const RAISED_RUN = /([⁰⁴⁵⁶⁷⁸⁹⁺⁻]+)/u;

/**
 * Children of one text, with consecutive plain strings merged: every child is a run React-PDF
 * lays out and slices on its own, so fewer children make a cheaper page.
 */
class Runs {
  private readonly out: ReactNode[] = [];
  private plain = '';

  text(s: string) {
    this.plain += s;
  }

  styled(key: string, style: Style, s: string) {
    this.flush();
    this.out.push(
      <Text key={key} style={style}>
        {s}
      </Text>,
    );
  }

  /** A unit such as ×10⁶/µL. */
  unit(key: string, unit: string) {
    unit.split(RAISED_RUN).forEach((part, i) => {
      if (i % 2) this.styled(`${key}.${i}`, S.superscript, [...part].map((c) => RAISED[c]).join(''));
      else if (part) this.text(t(part));
    });
  }

  done(): ReactNode[] {
    this.flush();
    return this.out;
  }

  private flush() {
    if (this.plain) this.out.push(this.plain);
    this.plain = '';
  }
}

/** Pads a cell to its row's line count, so the next row starts on the same line in every column. */
const padded = <T,>(lines: T[], count: number, blank: T): T[] => [...lines, ...Array<T>(Math.max(0, count - lines.length)).fill(blank)];

/** One column of a table chunk as a single text: row after row, line after line. */
function PlainColumn({ rows, cell, width }: { rows: LaidOutRow[]; cell: (r: LaidOutRow) => string[]; width: number }) {
  const text = rows.flatMap((r) => padded(cell(r), r.lines, NBSP).map((line) => line || NBSP)).join('\n');
  return <Text style={[S.column, { width }]}>{text}</Text>;
}

function UnitColumn({ rows }: { rows: LaidOutRow[] }) {
  const runs = new Runs();
  rows.forEach((r, i) =>
    padded(r.unit, r.lines, NBSP).forEach((line, j) => {
      if (i + j > 0) runs.text('\n');
      runs.unit(`${i}.${j}`, line || NBSP);
    }),
  );
  return <Text style={[S.column, S.colUnit]}>{runs.done()}</Text>;
}

function ResultColumn({ rows }: { rows: LaidOutRow[] }) {
  const runs = new Runs();
  rows.forEach((r, i) => {
    const out = isOutOfRange(r.row.flag);
    const markStyle = r.row.flag === ResultFlag.Low ? S.markLow : S.markHigh;
    padded(r.result, r.lines, { text: NBSP }).forEach((line, j) => {
      if (i + j > 0) runs.text('\n');
      if (out) runs.styled(`v${i}.${j}`, S.valueOut, line.text || NBSP);
      else runs.text(line.text || NBSP);
      if (line.mark) runs.styled(`m${i}.${j}`, markStyle, `  ${line.mark}`);
    });
  });
  return <Text style={[S.column, S.colResult]}>{runs.done()}</Text>;
}

/** Row backgrounds: zebra stripes, tinted rows for out-of-range values. */
function RowStripes({ rows }: { rows: LaidOutRow[] }) {
  let top = 0;
  return (
    <>
      {rows.map((r, i) => {
        const y = top;
        top += r.height;
        const tint = isOutOfRange(r.row.flag) ? (r.row.flag === ResultFlag.Low ? S.rowLow : S.rowHigh) : i % 2 ? S.rowZebra : null;
        return tint ? <View key={i} style={[S.stripe, tint, { top: y, height: r.height }]} /> : null;
      })}
    </>
  );
}

export function SectionView({ block, language }: { block: Extract<PageBlock, { kind: 'section' }>; language: ReportLanguage }) {
  const rows = block.rows;
  const w = wordingFor(language);
  const c = w.report.columns;
  return (
    <View style={S.section}>
      <View style={S.sectionTitle}>
        <Text style={S.sectionTitleText}>
          {t(label(w.sections, block.title))}
          {block.continued ? <Text style={S.cont}>{w.doc.continued}</Text> : null}
        </Text>
      </View>
      <View style={S.tableHead}>
        <Text style={[S.headCell, S.colName]}>{c.name}</Text>
        <Text style={[S.headCell, S.colResult]}>{c.result}</Text>
        <Text style={[S.headCell, S.colUnit]}>{c.unit}</Text>
        <Text style={[S.headCell, S.colReference]}>{c.reference}</Text>
      </View>
      {/* No fixed height: a text box too short for its lines drops them. The stripes sit behind. */}
      <View style={S.tableBody}>
        <RowStripes rows={rows} />
        <View style={S.columns}>
          <PlainColumn rows={rows} cell={(r) => r.name} width={L.columns.name} />
          <ResultColumn rows={rows} />
          <UnitColumn rows={rows} />
          <PlainColumn rows={rows} cell={(r) => r.reference} width={L.columns.reference} />
        </View>
      </View>
    </View>
  );
}
