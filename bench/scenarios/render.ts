import { readFileSync, writeFileSync } from 'node:fs';
import { compiledApi } from '../lib/api';
import type { Figure } from '../lib/report';
import { summarize } from '../lib/stats';


/** Rows per page the document lays out (~35): the sizes the issue names. */
const SIZES = [
  { label: '2-page report', rows: 50, pages: 2, target: 100 },
  { label: '5-page report', rows: 160, pages: 5 },
  { label: '20-page report', rows: 680, pages: 20, target: 800 },
];

const load = () => ({
  ...compiledApi<typeof import('../../apps/api/src/pdf/render-pool.service')>('pdf/render-pool.service'),
  ...compiledApi<typeof import('../../apps/api/src/pdf/sample-report')>('pdf/sample-report'),
});

/**
 * Peak resident memory of this process (VmHWM, in MiB), which holds the render thread. Resetting the
 * mark (writing 5 to /proc/self/clear_refs) lets each size have its own peak; where Linux refuses,
 * the mark only grows (sizes run smallest first, so the largest is still right).
 */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakMiB(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return kb ? Number(kb[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Render time of the product's own render pool (the compiled build, one warm thread), measured
 * inside the thread, so queueing does not count; the peak memory of the process holding that thread.
 */
export async function renderScenario(opts: { runs: number }): Promise<Figure[]> {
  const { RenderPoolService, sampleReportWithRows } = load();
  const pool = new RenderPoolService({ pdf: { renderThreads: 1 } });
  await pool.start();
  const figures: Figure[] = [];
  try {
    const idle = peakMiB();
    for (const size of SIZES) {
      const ms: number[] = [];
      let pages = 0;
      const reset = resetPeak();
      for (let i = 0; i < opts.runs; i++) {
        const r = await pool.render({ document: 'report', data: sampleReportWithRows(size.rows, `bench-${i}`) });
        ms.push(r.renderMs);
        pages = r.pages;
      }
      const peak = peakMiB();
      const s = summarize(ms);
      const perPage = s.p50 / Math.max(1, pages);
      figures.push(
        {
          scenario: 'render',
          name: `${size.label} (${pages} p) p50`,
          value: s.p50,
          unit: 'ms',
          target: size.target ? { op: size.pages === 2 ? '<=' : '<', value: size.target } : undefined,
          runs: s.runs,
          detail: { ...s, pages, msPerPage: perPage },
        },
        { scenario: 'render', name: `${size.label} p99`, value: s.p99, unit: 'ms', runs: s.runs },
        { scenario: 'render', name: `${size.label} ms per page`, value: perPage, unit: 'ms', runs: s.runs },
        { scenario: 'render', name: `${size.label} pages per second (one thread)`, value: (pages * 1000) / s.p50, unit: 'pages/s', runs: s.runs },
        {
          scenario: 'render',
          name: `${size.label} peak RSS of the render process (1 thread)`,
          value: peak,
          unit: 'MiB',
          runs: s.runs,
          detail: { source: 'VmHWM', resetBeforeSize: reset, idleBeforeFirstSizeMiB: idle },
        },
      );
    }
    // Linear in pages: the 20-page report's ms per page against the 2-page one's.
    const perPage = (label: string) => figures.find((f) => f.name === `${label} ms per page`)!.value;
    figures.push({ scenario: 'render', name: 'ms per page, 20 pages / 2 pages (1 = linear)', value: perPage('20-page report') / perPage('2-page report'), unit: '×', target: { op: '<', value: 1.5 } });
  } finally {
    await pool.close();
  }
  return figures;
}

/**
 * Capacity of the render pool: `count` two-page reports handed to a pool of 1 and then 2 warm
 * threads all at once; reports per second from the first hand-over to the last PDF.
 */
export async function capacityScenario(opts: { count: number }): Promise<Figure[]> {
  const { RenderPoolService, sampleReportWithRows } = load();
  const figures: Figure[] = [];
  for (const threads of [1, 2]) {
    const pool = new RenderPoolService({ pdf: { renderThreads: threads } });
    await pool.start();
    try {
      const data = Array.from({ length: opts.count }, (_, i) => sampleReportWithRows(50, `capacity-${threads}-${i}`));
      const t0 = performance.now();
      await Promise.all(data.map((d) => pool.render({ document: 'report', data: d })));
      const ms = performance.now() - t0;
      figures.push({
        scenario: 'capacity',
        name: `two-page reports rendered per second, ${threads} render thread${threads > 1 ? 's' : ''}`,
        value: (opts.count * 1000) / ms,
        unit: 'reports/s',
        runs: opts.count,
        target: threads === 2 ? { op: '>=', value: 10 } : undefined,
        detail: { ms },
      });
    } finally {
      await pool.close();
    }
  }
  return figures;
}
