import { etaSeconds, ProgressThrottle } from './bulk-progress';

describe('ProgressThrottle', () => {
  it('lets one event through per interval, and a forced one always', () => {
    let t = 1000;
    const throttle = new ProgressThrottle(200, () => t);
    expect(throttle.take()).toBe(true);
    t += 50;
    expect(throttle.take()).toBe(false);
    t += 149;
    expect(throttle.take()).toBe(false);
    t += 1;
    expect(throttle.take()).toBe(true);
    expect(throttle.take(true)).toBe(true);
  });

  it('never lets more than 5 through in a second at any pace', () => {
    let t = 0;
    const throttle = new ProgressThrottle(200, () => t);
    let sent = 0;
    for (; t < 1000; t += 7) if (throttle.take()) sent++;
    expect(sent).toBeLessThanOrEqual(5);
  });
});

describe('etaSeconds', () => {
  const start = new Date(0);
  it('extrapolates the pace so far', () => expect(etaSeconds(250, 1000, start, 1000)).toBe(3));
  it('is null before progress, once done, or without a start', () => {
    expect(etaSeconds(0, 1000, start, 1000)).toBeNull();
    expect(etaSeconds(1000, 1000, start, 1000)).toBeNull();
    expect(etaSeconds(10, 1000, null, 1000)).toBeNull();
  });
});
