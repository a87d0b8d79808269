/**
 * Entry of a render thread (loaded by piscina, never imported by the app). Loading it pulls
 * React-PDF into the thread and renders a few throwaway reports, so the first real render runs at
 * full speed; piscina awaits the exported promise before it runs any task on the thread.
 */
import { getPriority, setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { collectGarbage as collect } from '../common/collect-garbage';
import type { RenderResult } from './pdf-renderer';
import { GC_ABOVE_ENV, NICE_ENV, RenderTask, RenderThreadInfo, RenderWarmMessage, WARM_UP_ENV } from './render-thread';
import { renderReportPdf } from './report-document';
import { sampleReportWithRows } from './sample-report';
import { sampleWorkOrder } from './sample-work-order';
import { renderWorkOrderPdf } from './work-order-document';

const WARM_UP_RENDERS = Number(process.env[WARM_UP_ENV] ?? 3);
const GC_ABOVE_BYTES = Number(process.env[GC_ABOVE_ENV] ?? 0) * 1024 * 1024;

// A full collection of this thread's heap (collect): once after the warm-up (its renders' garbage
// would otherwise stay resident until the first real render), and after a render that left the heap
// above RENDER_THREAD_GC_ABOVE_MB when that is set. Off by default: a full collection also resets
// V8's idea of how far the heap may grow, so the next render collects more often (measured: ~+60 %
// CPU per 20-page render with 64 MiB); the old-generation limit and the report's parts keep the
// peak down instead.
let collecting = false;
/** After the result went back to the pool (the caller does not wait for it): collect if the heap grew past the mark. */
function collectLater() {
  if (!GC_ABOVE_BYTES || collecting || getHeapStatistics().used_heap_size < GC_ABOVE_BYTES) return;
  collecting = true;
  setImmediate(() => {
    collecting = false;
    collect();
  });
}

// On Linux a nice value belongs to a thread: this lowers the priority of this render thread only,
// so on a busy machine the HTTP event loop and Bull's lock renewals get the CPU first.
const nice = Number(process.env[NICE_ENV] ?? 0);
if (nice > 0) {
  try {
    setPriority(nice);
  } catch {
    // Not permitted here: renders still run, at normal priority.
  }
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

async function render(task: RenderTask): Promise<RenderResult | RenderThreadInfo> {
  if (task.document === 'ping') {
    if (task.collect) collect();
    const heap = getHeapStatistics();
    return { threadId, nice: getPriority(), heapMb: mb(heap.total_heap_size), heapUsedMb: mb(heap.used_heap_size) };
  }
  const started = performance.now();
  let rendered: { pdf: Buffer; pages: number };
  if (task.document === 'report') rendered = await renderReportPdf(task.data);
  else if (task.document === 'work-order') rendered = await renderWorkOrderPdf(task.data);
  else throw new Error(`unknown document: ${(task as { document: string }).document}`);
  const { pdf, pages } = rendered;
  const renderMs = Math.round((performance.now() - started) * 10) / 10;
  // Hand the bytes over without a copy; only a buffer of its own may be transferred (small Node
  // Buffers share a pooled ArrayBuffer).
  const owned = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
  const bytes = owned ? new Uint8Array(pdf.buffer, 0, pdf.byteLength) : Uint8Array.from(pdf);
  const result: RenderResult = { pdf: bytes, pages, renderMs, threadId, heapUsed: getHeapStatistics().used_heap_size };
  collectLater();
  return move({ [transferableSymbol]: bytes.buffer, [valueSymbol]: result }) as unknown as RenderResult;
}

async function warmUp(): Promise<typeof render> {
  const started = performance.now();
  let error: string | undefined;
  try {
    // About four pages with every kind of block: letterhead, tables (continued ones too), flags,
    // logo and signature images, observations. Measured: after one 2-page render the next few real
    // renders still run 2-3x slower (the JIT is not done); after three 4-page ones they are at speed.
    const sample = sampleReportWithRows(200, 'warm-up');
    for (let i = 0; i < WARM_UP_RENDERS; i++) await renderReportPdf(sample);
    // The work order's own components (QR code, section lists) warm up too.
    if (WARM_UP_RENDERS > 0) await renderWorkOrderPdf(sampleWorkOrder());
    // Idle from here: the warm-up's garbage goes now rather than stay resident until a render.
    collect();
  } catch (e) {
    // A broken warm-up must not hide the handler: real renders then fail with their own error.
    error = e instanceof Error ? e.message : String(e);
  }
  const message: RenderWarmMessage = { type: 'vetlab:render-warm', threadId, ms: Math.round(performance.now() - started), error };
  parentPort?.postMessage(message);
  return render;
}

export default warmUp();
