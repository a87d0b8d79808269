/** What the throttle needs from the browser; injectable so a test can drive time by hand. */
export interface ThrottleClock {
  now: () => number;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  /** Runs fn before the next paint (requestAnimationFrame in a browser). */
  nextFrame: (fn: () => void) => unknown;
  cancelFrame: (handle: unknown) => void;
}

export const browserClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  nextFrame: (fn) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => fn()) : globalThis.setTimeout(fn, 16)),
  cancelFrame: (h) => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(h as number) : globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)),
};

export interface LatestThrottle<T> {
  /** Offers a value; only the newest one waiting is ever applied. */
  push: (value: T) => void;
  /** Drops whatever waits (the component is leaving). */
  cancel: () => void;
}

/**
 * Applies only the newest of a burst of values, at most once per animation frame and at most once
 * every `minIntervalMs` (200 ms: five renders a second), so a 10,000-item bulk run that makes the
 * server send an overview every second, or a burst of events after a reconnect, costs the browser
 * a handful of renders. Values in between are dropped: each one is a full snapshot.
 */
export function latestThrottle<T>(apply: (value: T) => void, minIntervalMs = 200, clock: ThrottleClock = browserClock): LatestThrottle<T> {
  let pending: { value: T } | null = null;
  let timer: unknown = null;
  let frame: unknown = null;
  let lastApplied = -Infinity;

  const flush = () => {
    frame = null;
    if (!pending) return;
    const { value } = pending;
    pending = null;
    lastApplied = clock.now();
    apply(value);
  };
  const schedule = () => {
    if (timer !== null || frame !== null) return;
    const wait = Math.max(0, lastApplied + minIntervalMs - clock.now());
    timer = clock.setTimeout(() => {
      timer = null;
      frame = clock.nextFrame(flush);
    }, wait);
  };
  return {
    push: (value) => {
      pending = { value };
      schedule();
    },
    cancel: () => {
      pending = null;
      if (timer !== null) clock.clearTimeout(timer);
      if (frame !== null) clock.cancelFrame(frame);
      timer = frame = null;
    },
  };
}
