import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Gauge, Histogram, Registry } from 'prom-client';

/**
 * prom-client's default collectors that only read the process when a scrape asks (CPU, memory, file
 * descriptors, handles, heap spaces, version). They hold nothing between scrapes.
 */
const READ_AT_SCRAPE = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
] as const;

type Collector = (registry: Registry, config: object) => void;

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** What prom-client's default metrics sample the event loop's delay at (ms). */
const EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * Node's default metrics, under the names prom-client's `collectDefaultMetrics` gives them, in
 * `registry`; `stop()` ends what they run between scrapes.
 *
 * Two of them run all the time: the event loop's delay (a `monitorEventLoopDelay` histogram sampling
 * every 10 ms) and the GC durations (a PerformanceObserver). prom-client starts both and offers no way
 * to stop them (prometheus/client_js#494, #500). The observer stays registered for the life of the
 * process and its callback reaches this registry and the app around it: every app a process built and
 * closed stayed in memory (a Jest worker kept every test file's app). Those two are made here, where
 * they can be stopped; the collectors that only read at scrape time are prom-client's own.
 */
export function collectProcessMetrics(registry: Registry): { stop(): void } {
  for (const name of READ_AT_SCRAPE) {
    // Not in prom-client's typings; the package has no export map, and a unit test checks that the
    // names here are exactly collectDefaultMetrics' names.
    (require(`prom-client/lib/metrics/${name}`) as Collector)(registry, {});
  }

  const delay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  delay.enable();
  const gauge = (name: string, help: string, collect?: () => void) =>
    new Gauge({ name: `nodejs_eventloop_lag${name}_seconds`, help, registers: [registry], collect });
  const lag = gauge('', 'Lag of event loop in seconds.', () => {
    // As prom-client: the time a setImmediate takes now (seen by the next scrape), and the
    // histogram's figures since the last scrape.
    const start = process.hrtime.bigint();
    setImmediate(() => lag.set(Number(process.hrtime.bigint() - start) / 1e9));
    for (const [g, value] of figures) g.set(value() / 1e9);
    delay.reset();
  });
  const figures: [Gauge, () => number][] = [
    [gauge('_min', 'The minimum recorded event loop delay.'), () => delay.min],
    [gauge('_max', 'The maximum recorded event loop delay.'), () => delay.max],
    [gauge('_mean', 'The mean of the recorded event loop delays.'), () => delay.mean],
    [gauge('_stddev', 'The standard deviation of the recorded event loop delays.'), () => delay.stddev],
    [gauge('_p50', 'The 50th percentile of the recorded event loop delays.'), () => delay.percentile(50)],
    [gauge('_p90', 'The 90th percentile of the recorded event loop delays.'), () => delay.percentile(90)],
    [gauge('_p99', 'The 99th percentile of the recorded event loop delays.'), () => delay.percentile(99)],
  ];

  const gcDuration = new Histogram({
    name: 'nodejs_gc_duration_seconds',
    help: 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.01, 0.1, 1, 2, 5],
    registers: [registry],
  });
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = GC_KINDS[(entry.detail as { kind?: number } | undefined)?.kind ?? -1] ?? 'unknown';
      gcDuration.observe({ kind }, entry.duration / 1000);
    }
  });
  gc.observe({ entryTypes: ['gc'] });

  return {
    stop() {
      delay.disable();
      gc.disconnect();
    },
  };
}
