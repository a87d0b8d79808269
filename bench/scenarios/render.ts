import { join } from 'node:path';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';

const dist = join(__dirname, '../../dist/api/apps/api/src');

interface Pool {
  start(): Promise<void>;
  render(r: { document: 'report'; data: unknown }): Promise<{ pdf: Uint8Array; pages: number; renderMs: number }>;
  close(): Promise<void>;
}

/** Rows per page the document lays out (~35): the sizes the issue names. */
const SIZES = [
  { label: '2-page report', rows: 50, pages: 2, target: 100 },
  { label: '5-page report', rows: 160, pages: 5 },
  { label: '20-page report', rows: 680, pages: 20, target: 800 },
];

/**
 * Render time of the product's own render pool (the compiled build, one warm thread), measured
 * inside the thread, so queueing does not count.
 */
export async function renderScenario(opts: { runs: number }): Promise<Figure[]> {
  const { RenderPoolService } = require(join(dist, 'pdf/render-pool.service.js'));
  const { sampleReportWithRows } = require(join(dist, 'pdf/sample-report.js'));
  const pool: Pool = new RenderPoolService({ pdf: { renderThreads: 1 } });
  await pool.start();
  const figures: Figure[] = [];
  try {
    for (const size of SIZES) {
      const ms: number[] = [];
      let pages = 0;
      for (let i = 0; i < opts.runs; i++) {
        const r = await pool.render({ document: 'report', data: sampleReportWithRows(size.rows, `bench-${i}`) });
        ms.push(r.renderMs);
        pages = r.pages;
      }
      const s = summarize(ms);
      figures.push({
        scenario: 'render',
        name: `${size.label} (${pages} p) p50`,
        value: s.p50,
        unit: 'ms',
        target: size.target ? { op: size.pages === 2 ? '<=' : '<', value: size.target } : undefined,
        runs: s.runs,
        detail: { ...s, pages, msPerPage: s.p50 / Math.max(1, pages) },
      });
      figures.push({ scenario: 'render', name: `${size.label} p99`, value: s.p99, unit: 'ms', runs: s.runs });
      figures.push({ scenario: 'render', name: `${size.label} ms per page`, value: s.p50 / Math.max(1, pages), unit: 'ms', runs: s.runs });
    }
  } finally {
    await pool.close();
  }
  return figures;
}
