/**
 * Render timings of the pool, warm, one thread (a smoke test of the build, and the numbers for the
 * benchmark):
 *   node dist/api/apps/api/src/pdf/render-bench.js [--runs=5] [--pages=2,5,20] [--threads=1]
 *   node tools/run-ts.mjs apps/api/src/pdf/render-bench.ts     (from TypeScript)
 * Prints one JSON line per page count: median/min/max render ms in the thread, ms per page.
 */
import { threadId } from 'node:worker_threads';
import { RenderPoolService } from './render-pool.service';
import { sampleReportData } from './sample-report';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def;

export interface RenderTiming {
  pages: number;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  msPerPage: number;
  bytes: number;
}

export async function benchRenders(pool: RenderPoolService, pageCounts: number[], runs: number): Promise<RenderTiming[]> {
  const out: RenderTiming[] = [];
  for (const pages of pageCounts) {
    const data = sampleReportData(pages);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = await pool.render({ document: 'report', data });
      if (r.pages !== pages || r.threadId === threadId) throw new Error(`unexpected render: ${r.pages} pages on thread ${r.threadId}`);
      times.push(r.renderMs);
      bytes = r.pdf.byteLength;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    out.push({ pages, runs, medianMs: median, minMs: times[0], maxMs: times[times.length - 1], msPerPage: Math.round((median / pages) * 10) / 10, bytes });
  }
  return out;
}

async function main() {
  const started = Date.now();
  const pool = new RenderPoolService({ pdf: { renderThreads: Number(arg('threads', '1')) } });
  await pool.start();
  console.log(JSON.stringify({ event: 'warm', ms: Date.now() - started }));
  const pages = arg('pages', '2,5,20').split(',').map(Number);
  // A few unmeasured rounds first: one warm-up render per thread leaves the JIT half done.
  await benchRenders(pool, pages, 2);
  for (const t of await benchRenders(pool, pages, Number(arg('runs', '5')))) console.log(JSON.stringify(t));
  await pool.close();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
