// Preloaded into the bench's API process (`node --require`): measures that process's event-loop
// delay with perf_hooks.monitorEventLoopDelay and serves it on 127.0.0.1:$BENCH_EVENT_LOOP_PORT
// (GET /?reset=1 answers the histogram since the last reset, in ms, then resets it). Bench only.
'use strict';
const { createServer } = require('node:http');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const port = Number(process.env.BENCH_EVENT_LOOP_PORT);
if (port) {
  const RESOLUTION_MS = 5;
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  // The histogram holds the time between two ticks of its timer: the delay is what exceeds the interval.
  const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  createServer((req, res) => {
    const body = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), count: h.count };
    if (req.url && req.url.includes('reset=1')) h.reset();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  })
    .listen(port, '127.0.0.1')
    .unref();
}
