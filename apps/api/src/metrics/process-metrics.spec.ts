import { collectDefaultMetrics, Registry } from 'prom-client';
import { collectGarbage as gc } from '../common/collect-garbage';
import { collectProcessMetrics } from './process-metrics';

/** Collections the GC histogram counted, from the text a scrape gets. */
const gcCount = async (r: Registry) =>
  [...(await r.metrics()).matchAll(/^nodejs_gc_duration_seconds_count\{[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);

/** Lets the PerformanceObserver deliver (it reports on a later tick). */
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('collectProcessMetrics', () => {
  it("gives exactly the metrics prom-client's collectDefaultMetrics gives, under the same names and types", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const process = collectProcessMetrics(ours);
    collectDefaultMetrics({ register: theirs });
    try {
      const shape = async (r: Registry) => (await r.getMetricsAsJSON()).map((m) => `${m.name} ${m.type}`).sort();
      expect(await shape(ours)).toEqual(await shape(theirs));
    } finally {
      process.stop();
    }
  });

  it('samples the event loop and counts collections until stop(), and nothing after', async () => {
    const r = new Registry();
    const process = collectProcessMetrics(r);
    // The median delay the histogram sampled over 50 ms (a scrape reports it and starts afresh):
    // about its 10 ms resolution while it samples, and under a microsecond (empty) once stopped.
    const sampledDelay = async () => {
      await r.metrics();
      await new Promise((done) => setTimeout(done, 50));
      return Number(/^nodejs_eventloop_lag_p50_seconds (\S+)/m.exec(await r.metrics())?.[1]);
    };
    expect(await sampledDelay()).toBeGreaterThan(0.005);
    gc();
    await settle();
    expect(await gcCount(r)).toBeGreaterThanOrEqual(1);

    process.stop();
    const counted = await gcCount(r);
    gc();
    await settle();
    expect(await gcCount(r)).toBe(counted);
    expect(await sampledDelay()).toBeLessThan(0.001);
  });
});
