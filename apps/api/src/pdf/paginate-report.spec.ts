import { ResultFlag } from '@vetlab/shared';
import { textWidth } from './helvetica-metrics';
import { LaidOutPage, PageBlock, ReportRow, measureRow, pageBudget, paginateReport, wrapAmendment, wrapObservations } from './paginate-report';
import { sampleReportWithRows } from './sample-report';
import { CONTENT_WIDTH, REPORT_LAYOUT, closingHeight, lineFitWidth, observationsHeight, rowHeight, sectionHeadHeight } from './report-layout';

const row = (i: number, extra: Partial<ReportRow> = {}): ReportRow => ({
  code: `A${i}`,
  name: `Analito ${i}`,
  value: String(i),
  unit: 'mg/dL',
  reference: '1 – 10',
  flag: i % 7 === 0 ? ResultFlag.High : null,
  ...extra,
});

const section = (title: string, count: number, from = 0) => ({ title, rows: Array.from({ length: count }, (_, i) => row(from + i)) });

const sections = (b: PageBlock[]) => b.filter((x): x is Extract<PageBlock, { kind: 'section' }> => x.kind === 'section');
const allRows = (pages: LaidOutPage[]) => pages.flatMap((p) => sections(p.blocks).flatMap((s) => s.rows.map((r) => r.row.code)));

/** Recomputes what each page holds from the layout constants, independently of `used`. */
function heightOf(page: LaidOutPage): number {
  let h = 0;
  for (const b of page.blocks) {
    if (b.kind === 'section') h += sectionHeadHeight() + b.rows.reduce((s, r) => s + r.height, 0);
    else if (b.kind === 'observations') h += observationsHeight(b.lines.length);
    else h += closingHeight();
  }
  return h;
}

function expectSound(pages: LaidOutPage[], input: ReturnType<typeof section>[]) {
  pages.forEach((p, i) => {
    expect(p.number).toBe(i + 1);
    expect(heightOf(p)).toBeCloseTo(p.used, 6);
    expect(p.used).toBeLessThanOrEqual(pageBudget(p.number) + 1e-9);
  });
  // Every row exactly once, in order.
  expect(allRows(pages)).toEqual(input.flatMap((s) => s.rows.map((r) => r.code)));
  // The closing block is the last block of the last page, and only there.
  const closings = pages.flatMap((p) => p.blocks.map((b, i) => ({ p: p.number, last: i === p.blocks.length - 1, kind: b.kind }))).filter((b) => b.kind === 'closing');
  expect(closings).toEqual([{ p: pages.length, last: true, kind: 'closing' }]);
}

describe('paginateReport', () => {
  it('puts a short report on one page, tables then the closing block', () => {
    const input = [section('hemograma', 10), section('bioquimica_serica', 8, 100)];
    const pages = paginateReport({ sections: input, observations: 'Sin incidencias.', language: 'es' });
    expect(pages).toHaveLength(1);
    expect(pages[0].blocks.map((b) => b.kind)).toEqual(['section', 'section', 'observations', 'closing']);
    expect(sections(pages[0].blocks).every((s) => !s.continued)).toBe(true);
    expectSound(pages, input);
  });

  it('fits a full hemogram with observations and signature on one page', () => {
    const data = sampleReportWithRows(19);
    expect(data.sections).toHaveLength(1);
    expect(wrapObservations(data.observations).length).toBe(3);
    expect(paginateReport(data)).toHaveLength(1);
  });

  it('continues a long table on the next page with a repeated, marked header', () => {
    const input = [section('hemograma', 120)];
    const pages = paginateReport({ sections: input, observations: null, language: 'es' });
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const chunks = pages.map((p) => sections(p.blocks)[0]).filter(Boolean);
    expect(chunks[0].continued).toBe(false);
    expect(chunks.slice(1).every((c) => c.continued && c.title === 'hemograma')).toBe(true);
    // Later pages have a smaller header, so they hold more rows than page 1.
    expect(chunks[1].rows.length).toBeGreaterThan(chunks[0].rows.length);
    expectSound(pages, input);
  });

  it('fills pages: a page breaks only when the next row (or a new table head) does not fit', () => {
    const input = [section('hemograma', 200)];
    const pages = paginateReport({ sections: input, observations: null, language: 'es' });
    for (const p of pages.slice(0, -1)) {
      expect(pageBudget(p.number) - p.used).toBeLessThan(rowHeight(1));
    }
  });

  it('never starts a table where its header and first rows do not fit', () => {
    for (let n = 18; n <= 34; n++) {
      const input = [section('hemograma', n), section('coagulacion', 6, 500), section('serologia', 1, 900)];
      const pages = paginateReport({ sections: input, observations: null, language: 'es' });
      for (const block of pages.flatMap((p) => sections(p.blocks)).filter((b) => !b.continued)) {
        const total = input.find((x) => x.title === block.title)?.rows.length ?? 0;
        expect(block.rows.length).toBeGreaterThanOrEqual(Math.min(REPORT_LAYOUT.section.minRowsAtStart, total));
      }
      expectSound(pages, input);
    }
  });

  it('moves observations and signature to a new page when they do not fit', () => {
    // Find a row count that leaves less room than the closing block needs on page 1.
    let n = 1;
    while (paginateReport({ sections: [section('hemograma', n + 1)], observations: null, language: 'es' }).length === 1) n++;
    const input = [section('hemograma', n)];
    const text = 'Observación clínica relevante. '.repeat(12);
    const pages = paginateReport({ sections: input, observations: text, language: 'es' });
    expect(pages).toHaveLength(2);
    expect(pages[1].blocks.map((b) => b.kind)).toEqual(['observations', 'closing']);
    expectSound(pages, input);
  });

  it('splits observations longer than a page, keeping the signature with the last part', () => {
    const text = Array.from({ length: 140 }, (_, i) => `Línea de observaciones número ${i + 1}.`).join('\n');
    const input = [section('hemograma', 5)];
    const pages = paginateReport({ sections: input, observations: text, language: 'es' });
    const parts = pages.flatMap((p) => p.blocks.filter((b): b is Extract<PageBlock, { kind: 'observations' }> => b.kind === 'observations'));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts[0].continued).toBe(false);
    expect(parts.slice(1).every((b) => b.continued)).toBe(true);
    expect(parts.flatMap((b) => b.lines)).toEqual(wrapObservations(text));
    const last = pages[pages.length - 1].blocks;
    expect(last.slice(-2).map((b) => b.kind)).toEqual(['observations', 'closing']);
    expectSound(pages, input);
  });

  it('breaks cells into the printed lines: taller rows for wrapping cells, capped with an ellipsis', () => {
    const long = 'Proteínas plasmáticas totales medidas por refractometría en muestra de plasma heparinizado';
    const r1 = measureRow(row(1), 'es');
    const r2 = measureRow(row(2, { name: long }), 'es');
    const r3 = measureRow(row(3, { reference: 'valor '.repeat(300) }), 'es');
    expect([r1.lines, r1.height]).toEqual([1, rowHeight(1)]);
    expect(r2.lines).toBeGreaterThan(1);
    expect(r2.name.join(' ')).toBe(long);
    expect(r2.height).toBe(rowHeight(r2.lines));
    expect(r3.lines).toBe(REPORT_LAYOUT.row.maxLines);
    expect(r3.reference).toHaveLength(REPORT_LAYOUT.row.maxLines);
    expect(r3.reference.at(-1)).toMatch(/…$/);
  });

  it('keeps every line narrow enough that React-PDF never breaks it again', () => {
    const c = REPORT_LAYOUT.columns;
    const pad = 2 * REPORT_LAYOUT.row.paddingX;
    const size = REPORT_LAYOUT.row.fontSize;
    const words = ['Hemoglobina', 'corpuscular', 'media', 'WAVY', 'fff', 'mmmm', 'Ácido', '(refractómetro)', 'x'.repeat(70), '1,25', '—'];
    for (let i = 0; i < 300; i++) {
      const pick = (n: number) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
      const flag = [ResultFlag.High, ResultFlag.Low, ResultFlag.Abnormal, null][i % 4];
      const r = measureRow(row(i, { name: pick(1 + (i % 9)), value: pick(1 + (i % 4)), reference: pick(i % 6), flag }), 'es');
      for (const line of r.name) expect(textWidth(line, size)).toBeLessThanOrEqual(lineFitWidth(c.name - pad, size));
      for (const line of r.reference) expect(textWidth(line, size)).toBeLessThanOrEqual(lineFitWidth(c.reference - pad, size));
      for (const line of r.result) {
        const width = textWidth(line.text, size, flag != null) + (line.mark ? textWidth(`  ${line.mark}`, REPORT_LAYOUT.row.markFontSize, true) : 0);
        expect(width).toBeLessThanOrEqual(lineFitWidth(c.result - pad, size) + 1e-9);
      }
      // The out-of-range mark is printed exactly once, on the value's last line.
      expect(r.result.filter((l) => l.mark).length).toBe(flag ? 1 : 0);
      expect(r.lines).toBe(Math.max(r.name.length, r.result.length, r.unit.length, r.reference.length));
    }
  });

  it('puts the mark after the value, or on its own line when the value fills the cell', () => {
    expect(measureRow(row(1, { value: '250', flag: ResultFlag.High }), 'es').result).toEqual([{ text: '250', mark: 'alto' }]);
    expect(measureRow(row(1, { value: '250', flag: ResultFlag.High }), 'en').result).toEqual([{ text: '250', mark: 'high' }]);
    const full = measureRow(row(2, { value: 'anisocitosis moderada con policromasia', flag: ResultFlag.Abnormal }), 'es').result;
    expect(full.at(-1)?.mark).toBe('anormal');
    expect(full.map((l) => l.text).join(' ').trim()).toBe('anisocitosis moderada con policromasia');
  });

  it('keeps render cost linear: page count grows with rows, every page within budget', () => {
    for (const n of [50, 300, 800, 1500]) {
      const input = [section('hemograma', n)];
      const pages = paginateReport({ sections: input, observations: 'Nada que añadir.', language: 'es' });
      expectSound(pages, input);
    }
  });

  it('has table columns that span the content width exactly', () => {
    const c = REPORT_LAYOUT.columns;
    expect(c.name + c.result + c.unit + c.reference).toBeCloseTo(CONTENT_WIDTH, 6);
  });

  it('handles a report without results or observations', () => {
    const pages = paginateReport({ sections: [], observations: null, language: 'es' });
    expect(pages).toEqual([{ number: 1, blocks: [{ kind: 'closing' }], used: closingHeight() }]);
  });
});

describe('an amendment’s note', () => {
  const reason = 'La glucosa se transcribió mal desde el analizador; el valor correcto es 98.';

  it('goes first on page 1, in the clinic’s language, and takes its height from the budget', () => {
    const data = { ...sampleReportWithRows(6, 'amend-note'), supersedesVersion: 1, amendReason: reason };
    const [first] = paginateReport(data);
    expect(first.blocks[0]).toEqual({ kind: 'amendment', lines: [expect.stringContaining('Reemplaza a la versión 1. Motivo: La glucosa')] });
    expect(first.used).toBeLessThanOrEqual(pageBudget(1));
    expect(wrapAmendment({ ...data, language: 'en' })[0]).toMatch(/^Replaces version 1\. Reason: La glucosa/);
  });

  it('is left out of a version that replaces nothing, or has no reason', () => {
    expect(wrapAmendment({ supersedesVersion: null, amendReason: reason, language: 'es' })).toEqual([]);
    expect(wrapAmendment({ supersedesVersion: 1, amendReason: undefined, language: 'es' })).toEqual([]);
    expect(paginateReport(sampleReportWithRows(6, 'no-note'))[0].blocks[0].kind).toBe('section');
  });
});
