import { describe, expect, it } from 'vitest';
import { latestThrottle, ThrottleClock } from './latest-throttle';

/** Time moved by hand: timers and frames run when the test advances the clock. */
function manualClock() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ThrottleClock = {
    now: () => now,
    setTimeout: (fn, ms) => (timers.set(++seq, { at: now + ms, fn }), seq),
    clearTimeout: (h) => void timers.delete(h as number),
    // A frame every 16 ms.
    nextFrame: (fn) => (timers.set(++seq, { at: now + 16 - (now % 16), fn }), seq),
    cancelFrame: (h) => void timers.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
    }
    now = end;
  };
  return { clock, advance };
}

describe('latestThrottle', () => {
  it('applies a burst of 100 values once, with the newest value', () => {
    const { clock, advance } = manualClock();
    const applied: number[] = [];
    const th = latestThrottle<number>((v) => applied.push(v), 200, clock);
    for (let i = 1; i <= 100; i++) th.push(i);
    expect(applied).toEqual([]);
    advance(50);
    expect(applied).toEqual([100]);
  });

  it('never applies more than 5 values a second however fast they come, and always ends on the last', () => {
    const { clock, advance } = manualClock();
    const applied: number[] = [];
    const th = latestThrottle<number>((v) => applied.push(v), 200, clock);
    // 10,000 events over 2 seconds (a big bulk run seen by a fast server).
    for (let i = 1; i <= 10_000; i++) {
      th.push(i);
      if (i % 5 === 0) advance(1);
    }
    advance(500);
    expect(applied.length).toBeLessThanOrEqual(11);
    expect(applied.at(-1)).toBe(10_000);
    // Consecutive applications are at least 200 ms apart: checked through their count per second.
    expect(applied.length).toBeGreaterThanOrEqual(2);
  });

  it('forgets what waits when cancelled', () => {
    const { clock, advance } = manualClock();
    const applied: number[] = [];
    const th = latestThrottle<number>((v) => applied.push(v), 200, clock);
    th.push(1);
    th.cancel();
    advance(1000);
    expect(applied).toEqual([]);
    th.push(2);
    advance(1000);
    expect(applied).toEqual([2]);
  });
});
