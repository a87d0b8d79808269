// Preloaded into a bench worker process (`node --require`, with $BENCH_RENDER_PORT): the worker role
// as deployed, plus a loopback port through which the bench asks that process's own render pool for
// reports and reads the process's memory from /proc. It finds the pool by keeping the application
// context Nest creates for the worker role (the same @nestjs/core the build loads). Bench only.
//   GET /warm                       answers once the render threads are warm
//   GET /memory[?reset=1]           VmRSS and VmHWM in MiB (reset=1: the high-water mark reset first)
//   GET /render?rows=N&runs=K       K reports of N rows rendered one after the other: their renderMs,
//                                   the process's CPU time over them, then VmRSS and VmHWM
'use strict';
const { createServer } = require('node:http');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { isMainThread } = require('node:worker_threads');

const port = Number(process.env.BENCH_RENDER_PORT);
const dist = process.env.BENCH_API_DIST;
// Render threads inherit the process's --require: only the main thread listens.
if (port && dist && isMainThread) {
  const core = require('@nestjs/core');
  let context = null;
  const create = core.NestFactory.createApplicationContext;
  core.NestFactory.createApplicationContext = async function (...args) {
    context = await create.apply(this, args);
    return context;
  };

  const memory = () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const m = process.memoryUsage();
    const mib = (b) => Math.round((b / 1048576) * 10) / 10;
    return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024, mainHeapMiB: mib(m.heapTotal), externalMiB: mib(m.external), arrayBuffersMiB: mib(m.arrayBuffers) };
  };
  const resetPeak = () => {
    try {
      writeFileSync('/proc/self/clear_refs', '5');
      return true;
    } catch {
      return false;
    }
  };

  const renderPool = () => {
    if (!context) throw new Error('the worker has not created its context yet');
    const { RenderPoolService } = require(join(dist, 'pdf/render-pool.service.js'));
    return context.get(RenderPoolService);
  };
  const render = async (rows, runs) => {
    const pool = renderPool();
    const { sampleReportWithRows } = require(join(dist, 'pdf/sample-report.js'));
    const ms = [];
    // The worker's main thread idles meanwhile: the process's CPU time is the render thread's.
    const cpu0 = process.cpuUsage();
    let pages = 0;
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = await pool.render({ document: 'report', data: sampleReportWithRows(rows, `memory-${rows}-${i}`) });
      ms.push(r.renderMs);
      pages = r.pages;
      bytes = r.pdf.byteLength;
    }
    const cpu = process.cpuUsage(cpu0);
    return { ms, pages, bytes, cpuMs: (cpu.user + cpu.system) / 1000 };
  };

  createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://probe');
    const answer = (status, body) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/memory') {
      const reset = url.searchParams.get('reset') === '1' ? resetPeak() : undefined;
      return answer(200, { ...memory(), reset });
    }
    if (url.pathname === '/warm') {
      // Resolves once every render thread has done its warm-up renders.
      return Promise.resolve()
        .then(() => renderPool().start())
        .then(
          () => answer(200, memory()),
          (e) => answer(500, { error: String(e && e.message ? e.message : e) }),
        );
    }
    if (url.pathname === '/render') {
      const rows = Number(url.searchParams.get('rows') ?? 50);
      const runs = Number(url.searchParams.get('runs') ?? 1);
      return render(rows, runs).then(
        (r) => answer(200, { ...r, ...memory() }),
        (e) => answer(500, { error: String(e && e.message ? e.message : e) }),
      );
    }
    answer(404, { error: 'not found' });
  })
    .listen(port, '127.0.0.1')
    .unref();
}
