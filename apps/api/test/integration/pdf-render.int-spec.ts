import { getPriority } from 'node:os';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ResultFlag } from '@vetlab/shared';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { PDF_RENDERER, PdfRenderer, RenderResult } from '../../src/pdf/pdf-renderer';
import { PdfModule } from '../../src/pdf/pdf.module';
import { RenderPoolService } from '../../src/pdf/render-pool.service';
import { measureRow, paginateReport } from '../../src/pdf/paginate-report';
import { partsOf, renderInParts } from '../../src/pdf/render-in-parts';
import { ReportDocument, renderReportPdf, reportInfo } from '../../src/pdf/report-document';
import { renderToBuffer } from '@react-pdf/renderer';
import { createElement } from 'react';
import type { ReportPdfData } from '../../src/pdf/report-pdf-data';
import { SAMPLE_PUBLIC_URL, sampleReportData, sampleReportWithRows } from '../../src/pdf/sample-report';
import { verificationCode, withVerificationCode } from '../../src/pdf/verification-code';
import { readQr } from '../support/qr-read';

/**
 * The render pool for real: worker threads loading the TypeScript worker, React-PDF rendering
 * reports, the PDFs read back with poppler (pdftotext, pdfinfo). No database is involved.
 */
const dir = mkdtempSync(join(tmpdir(), 'vetlab-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The PDF as a file in the test's folder, for poppler's tools. */
function pdfFile(pdf: Uint8Array, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

function pdfText(pdf: Uint8Array, name: string, args: string[] = []): string {
  const file = pdfFile(pdf, name);
  return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
}

function pdfPages(pdf: Uint8Array, name: string): number {
  const file = pdfFile(pdf, name);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/**
 * Per page, the space between the lowest text of the body and the footer's first line (from
 * pdftotext's word boxes): negative would mean the body runs into the footer.
 */
function footerGaps(pdf: Uint8Array, name: string): { page: number; footerTop: number; gap: number }[] {
  const file = pdfFile(pdf, name);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  return html
    .split('<page ')
    .slice(1)
    .map((page, i) => {
      const words = [...page.matchAll(/<word xMin="[-\d.]+" yMin="([-\d.]+)" xMax="[-\d.]+" yMax="([-\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        top: Number(m[1]),
        bottom: Number(m[2]),
        text: m[3].replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
      }));
      const footerTop = Math.min(...words.filter((w) => w.text === 'página').map((w) => w.top));
      const bodyBottom = Math.max(...words.filter((w) => w.top < footerTop - 1).map((w) => w.bottom));
      return { page: i + 1, footerTop, gap: footerTop - bodyBottom };
    });
}

/**
 * What a phone reads off a page's QR code: the lower half of the page rasterised by poppler
 * (pdftoppm, grey, 150 dpi) and scanned by a QR decoder.
 */
function scanQr(pdf: Uint8Array, name: string, page: number): string | undefined {
  const file = pdfFile(pdf, name);
  // The lower half of an A4 page (1240 × 1754 pixels at 150 dpi): a decoder searching a whole page takes seconds.
  const lowerHalf = ['-x', '0', '-y', '877', '-W', '1240', '-H', '877'];
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '150', '-f', String(page), '-l', String(page), ...lowerHalf, file], { maxBuffer: 16 << 20 });
  // Binary PGM: "P5 <width> <height> <max>" and one whitespace, then one byte a pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error(`pdftoppm did not write a PGM for ${name}`);
  const [width, height] = [Number(header[1]), Number(header[2])];
  return readQr(pgm.subarray(header[0].length), width, height);
}

const rowNames = (data: ReportPdfData) => data.sections.flatMap((s) => s.rows.map((r) => r.name));

describe('PDF render pool', () => {
  let ctx: INestApplicationContext;
  let renderer: PdfRenderer;

  beforeAll(async () => {
    for (const tool of ['pdftotext', 'pdfinfo', 'pdftoppm']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'ignore' });
      } catch {
        throw new Error(`${tool} is missing: install poppler-utils (apt-get install -y poppler-utils)`);
      }
    }
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40), RENDER_THREADS: '2' }, 'worker');
    @Module({ imports: [ConfigModule.forRoot(config), PdfModule] })
    class PdfTestModule {}
    ctx = await NestFactory.createApplicationContext(PdfTestModule, { logger: ['error', 'warn'] });
    renderer = ctx.get<PdfRenderer>(PDF_RENDERER);
    // Module init only starts the warm-up; wait for both threads here so timings below are warm.
    await ctx.get(RenderPoolService).start();
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('renders a 2-page report in a worker thread, with its content as text', async () => {
    const data = sampleReportData(2);
    const result = await renderer.render({ document: 'report', data });
    expect(Buffer.from(result.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(result.pages).toBe(2);
    expect(pdfPages(result.pdf, 'two')).toBe(2);
    expect(result.threadId).toEqual(expect.any(Number));
    expect(result.threadId).not.toBe(threadId);
    expect(result.renderMs).toBeGreaterThan(0);

    const text = pdfText(result.pdf, 'two');
    expect(text).toContain('Toby');
    // Every analyte, as printed (a long name wraps; β prints as "beta").
    const printed = data.sections.flatMap((sec) => sec.rows.flatMap((r) => measureRow(r, data.language).name));
    expect(printed.length).toBeGreaterThanOrEqual(rowNames(data).length);
    for (const line of printed) expect(text).toContain(line);
    expect(text).toContain('página 1 de 2');
    expect(text).toContain('página 2 de 2');
    // On every page, and recomputable from the content.
    expect(data.verificationCode).toBe(verificationCode(data));
    expect(text.split(data.verificationCode).length - 1).toBeGreaterThanOrEqual(2);
    for (const label of ['Análisis', 'Resultado', 'Unidad', 'Valores de referencia', 'Observaciones', 'Dr. Javier Morales Prieto', 'Versión 1']) {
      expect(text).toContain(label);
    }
  });

  it("prints a QR code that reads back as the version's verification page", async () => {
    const data = sampleReportData(2);
    const result = await renderer.render({ document: 'report', data });
    expect(data.verificationUrl).toBe(`${SAMPLE_PUBLIC_URL}/verificar/${data.verificationCode}`);
    // Beside the signature, at the end of the last page.
    expect(scanQr(result.pdf, 'qr', result.pages)).toBe(data.verificationUrl);
  });

  it('renders a 20-page report: every page numbered, tables continued with their header', async () => {
    const data = sampleReportData(20);
    const result = await renderer.render({ document: 'report', data });
    expect(result.pages).toBe(20);
    expect(pdfPages(result.pdf, 'twenty')).toBe(20);
    for (let page = 1; page <= 20; page++) {
      const text = pdfText(result.pdf, 'twenty', ['-f', String(page), '-l', String(page)]);
      expect(text).toContain(`página ${page} de 20`);
      expect(text).toContain(data.verificationCode);
      expect(text).toContain('Valores de referencia');
    }
    const all = pdfText(result.pdf, 'twenty');
    expect(all).toContain('(cont.)');
    for (const line of data.sections.flatMap((sec) => sec.rows.flatMap((r) => measureRow(r, data.language).name))) expect(all).toContain(line);
    // The footer sits at the same place on every page, below the body with room to spare.
    const gaps = footerGaps(result.pdf, 'twenty');
    expect(gaps).toHaveLength(20);
    expect(new Set(gaps.map((g) => g.footerTop.toFixed(1))).size).toBe(1);
    for (const g of gaps) expect([g.page, g.gap > 8]).toEqual([g.page, true]);
  });

  it('names the superseded version and marks out-of-range values', async () => {
    const base = sampleReportWithRows(6, 'amend');
    const { verificationCode: _, ...content } = base;
    content.version = 2;
    content.supersedesVersion = 1;
    content.sections = [
      {
        title: 'bioquimica_serica',
        rows: [
          { code: 'GLU', name: 'Glucosa', value: '250', unit: 'mg/dL', reference: '70 – 143', flag: ResultFlag.High },
          { code: 'ALB', name: 'Albúmina', value: '1,2', unit: 'g/dL', reference: '2,3 – 4', flag: ResultFlag.Low },
          { code: 'FELV', name: 'Antígeno FeLV', value: 'positivo', unit: null, reference: 'negativo', flag: ResultFlag.Abnormal },
          { code: 'RBC', name: 'Eritrocitos', value: '6,1', unit: '×10⁶/µL', reference: '5,5 – 8,5', flag: ResultFlag.Normal },
        ],
      },
    ];
    const data = withVerificationCode(content, SAMPLE_PUBLIC_URL);
    expect(data.verificationCode).not.toBe(base.verificationCode);
    const result = await renderer.render({ document: 'report', data });
    const text = pdfText(result.pdf, 'amend', ['-layout']);
    expect(text).toContain('Versión 2 — reemplaza a la versión 1');
    expect(text).toMatch(/250\s+alto/);
    expect(text).toMatch(/1,2\s+bajo/);
    expect(text).toMatch(/positivo\s+anormal/);
    expect(text).toMatch(/6,1\s+×106\/µL/); // the superscript is drawn, not a stray glyph
    expect(text).toContain(data.verificationCode);
  });

  it('keeps the columns of a table in step, whatever the cells wrap to', async () => {
    // Cells that fill their lines to the limit: if React-PDF broke any line again, the column below
    // would shift and row i's name would no longer share a line with row i's value.
    const words = ['Hemoglobina', 'corpuscular', 'media', 'WAVY', 'fff', 'mmmm', 'Ácido', '(refractómetro)', 'moderada', 'con', '1,25'];
    const pick = (i: number, n: number) => Array.from({ length: n }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    const flags = [ResultFlag.High, ResultFlag.Low, ResultFlag.Abnormal, ResultFlag.Normal, null];
    const rows = Array.from({ length: 160 }, (_, i) => ({
      code: `C${i}`,
      name: `N${i}x ${pick(i, i % 11)}`,
      value: `V${i}x ${pick(i + 3, i % 4)}`.trim(),
      unit: i % 3 ? 'mg/dL' : '×10⁶/µL',
      reference: `R${i}x ${pick(i + 5, i % 7)}`,
      flag: flags[i % flags.length],
    }));
    const { verificationCode: _, ...content } = sampleReportWithRows(1, 'columns');
    content.sections = [{ title: 'bioquimica_serica', rows: rows.slice(0, 90) }, { title: 'hemograma', rows: rows.slice(90) }];
    const result = await renderer.render({ document: 'report', data: withVerificationCode(content, SAMPLE_PUBLIC_URL) });
    const lines = pdfText(result.pdf, 'columns', ['-layout']).split('\n');
    for (let i = 0; i < rows.length; i++) {
      const line = lines.find((l) => l.includes(`N${i}x`));
      expect([i, line?.includes(`V${i}x`), line?.includes(`R${i}x`)]).toEqual([i, true, true]);
    }
    // Tall rows never push a page's body into its footer.
    for (const g of footerGaps(result.pdf, 'columns')) expect([g.page, g.gap > 8]).toEqual([g.page, true]);
  });

  it('renders concurrently on both threads, never on the caller thread', async () => {
    const data = sampleReportData(5);
    const results: RenderResult[] = await Promise.all([1, 2, 3, 4].map(() => renderer.render({ document: 'report', data })));
    const threads = new Set(results.map((r) => r.threadId));
    expect(threads.size).toBe(2);
    expect(threads.has(threadId)).toBe(false);
    // Same content, same bytes apart from nothing: rendering is deterministic in its page count.
    expect(results.every((r) => r.pages === 5)).toBe(true);
  });

  it('runs its threads at the configured nice value, leaving the caller thread alone', async () => {
    const before = getPriority();
    const info = await ctx.get(RenderPoolService).ping();
    expect(info.threadId).not.toBe(threadId);
    expect(info.nice).toBe(10); // RENDER_NICE's default
    expect(getPriority()).toBe(before);
  });

  it('can be closed while its threads are still warming up', async () => {
    const pool = new RenderPoolService({ pdf: { renderThreads: 1 } });
    const settled = (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);
    const starting = settled(pool.start());
    const pending = settled(pool.render({ document: 'report', data: sampleReportWithRows(3) }));
    await pool.close();
    expect(await starting).toMatch(/closed/);
    expect(await pending).toMatch(/closed/);
  });

  it('replaces its threads with warm ones after so many renders, no render failing or waiting on a cold thread, same bytes', async () => {
    const pool = new RenderPoolService({ pdf: { renderThreads: 1, warmUpRenders: 0, recycleAfterRenders: 2 } });
    try {
      const data = sampleReportWithRows(3, 'recycle');
      const first = await pool.render({ document: 'report', data });
      await pool.render({ document: 'report', data });
      // The replacement warms up beside the old thread, which keeps rendering meanwhile.
      const during = await pool.render({ document: 'report', data });
      expect(during.threadId).toBe(first.threadId);
      await (pool as unknown as { replacing: Promise<void> | null }).replacing;
      const after = await pool.render({ document: 'report', data });
      expect(after.threadId).not.toBe(first.threadId);
      expect(after.renderMs).toBeLessThan(5_000);
      expect(Buffer.compare(Buffer.from(after.pdf), Buffer.from(first.pdf))).toBe(0);
      expect(pool.stats().threads).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('rejects an unknown document without losing the thread', async () => {
    await expect(renderer.render({ document: 'nope' } as never)).rejects.toThrow(/unknown document/);
    const again = await renderer.render({ document: 'report', data: sampleReportWithRows(3) });
    expect(again.pages).toBe(1);
  });

  it('collects a long render\'s garbage as soon as it is done, not when the next render starts', async () => {
    const pool = new RenderPoolService({ pdf: { renderThreads: 1, nice: 0, gcAboveMb: 64, maxHeapMb: 0, recycleAfterRenders: 0 } });
    try {
      const idle = await pool.ping();
      const mark = Math.max(64, idle.heapUsedMb + 20);
      const heapMb = (r: { heapUsed?: number }) => (r.heapUsed ?? 0) / 1048576;
      // A 20-page render usually ends with ~80 MiB in use, but V8 may finish a collection late in the
      // render (when depends on its concurrent marking, so on the machine's load) and end it below the
      // mark; one that ends below it leaves nothing to collect, so the next one is taken.
      let long = await pool.render({ document: 'report', data: sampleReportData(20) });
      for (let i = 0; i < 4 && heapMb(long) <= mark; i++) long = await pool.render({ document: 'report', data: sampleReportData(20) });
      expect(heapMb(long)).toBeGreaterThan(mark);
      // Nothing else for the thread to do: its next turn of the event loop collects.
      await new Promise((r) => setTimeout(r, 500));
      const after = await pool.ping();
      expect(after.threadId).toBe(long.threadId);
      expect(after.heapUsedMb).toBeLessThan(idle.heapUsedMb + 15);
    } finally {
      await pool.close();
    }
  });

  it('keeps nothing of its renders: a thread never replaced holds the same heap after a hundred more', async () => {
    const pool = new RenderPoolService({ pdf: { renderThreads: 1, nice: 0, warmUpRenders: 0, recycleAfterRenders: 0 } });
    const live = async (renders: number, from: number) => {
      for (let i = from; i < from + renders; i++) await pool.render({ document: 'report', data: sampleReportWithRows(40, `kept-${i % 8}`) });
      return pool.ping({ collect: true });
    };
    try {
      const warm = await live(10, 0);
      const later = await live(100, 10);
      expect(later.threadId).toBe(warm.threadId);
      // When React's scheduler never got a turn between renders (a thread parked in Atomics.wait),
      // every render's fiber tree stayed reachable: +15 MiB over these hundred.
      expect(later.heapUsedMb - warm.heapUsedMb).toBeLessThan(4);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

/**
 * A PDF reaches the caller as bytes outside its thread's heap; a worker's main thread allocates
 * little between renders, so without being told V8 would keep the dead ones until some 64 MiB had
 * piled up (RENDER_COLLECT_AFTER_MB). Here the calling thread is Jest's, as idle between renders.
 */
describe('the PDFs a pool handed out', () => {
  /** Renders until `mib` of PDFs went out, dropping each, then waits past the pool's collection delay. */
  const handOut = async (collectAfterMb: number, mib: number) => {
    const pool = new RenderPoolService({ pdf: { renderThreads: 1, nice: 0, warmUpRenders: 1, recycleAfterRenders: 0, collectAfterMb } });
    try {
      await pool.start();
      await new Promise((r) => setTimeout(r, 1000));
      const before = process.memoryUsage().external;
      let bytes = 0;
      // Each PDF is dropped at once, as the worker drops it once stored and mailed.
      for (let i = 0; bytes < mib * 1048576; i++) bytes += (await pool.render({ document: 'report', data: sampleReportWithRows(200, `free-${i}`) })).pdf.byteLength;
      await new Promise((r) => setTimeout(r, 3000));
      return { bytes, kept: process.memoryUsage().external - before, collections: pool.stats().collections };
    } finally {
      await pool.close();
    }
  };

  it('are freed once RENDER_COLLECT_AFTER_MB of them went out, not kept until V8 gets round to it', async () => {
    const r = await handOut(0.25, 0.3);
    expect(r.collections).toBe(1);
    expect(r.kept).toBeLessThan(r.bytes / 4);
    // The same without the setting: nothing collects them here either.
    const off = await handOut(0, 0.3);
    expect(off.collections).toBe(0);
    expect(off.kept).toBeGreaterThan(off.bytes / 2);
  }, 60_000);
});

/**
 * A report is laid out and drawn a few pages at a time (render-in-parts.ts): what a reader sees is
 * what one React-PDF document of all the pages gives.
 */
describe('a report rendered in parts', () => {
  it('reads the same as the same pages rendered as one document: every page, in order, same text and metadata', async () => {
    const data = sampleReportData(7);
    const pages = paginateReport(data);
    const whole = await renderToBuffer(createElement(ReportDocument, { data, pages }) as never);
    const inParts = await renderInParts(reportInfo(data), partsOf(pages, 2).map((part) => createElement(ReportDocument, { data, pages: part, total: pages.length }) as never));
    expect(pdfPages(inParts, 'parts')).toBe(7);
    expect(pdfText(inParts, 'parts', ['-layout'])).toBe(pdfText(whole, 'whole', ['-layout']));
    const info = (pdf: Uint8Array, name: string) => execFileSync('pdfinfo', [pdfFile(pdf, name)], { encoding: 'utf8' }).replace(/^File size:.*$/m, '');
    expect(info(inParts, 'parts')).toBe(info(whole, 'whole'));
    // And the renderer's own path gives the same.
    expect(pdfText((await renderReportPdf(data)).pdf, 'shipped', ['-layout'])).toBe(pdfText(whole, 'whole', ['-layout']));
  });
});
