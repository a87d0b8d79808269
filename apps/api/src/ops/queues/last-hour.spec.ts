import { QueueName } from '@vetlab/shared';
import { lastHour, lastHourStart, MINUTE_MS, percentile } from './last-hour';

describe('percentile', () => {
  it('is null for no values and the value itself for one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 50)).toBe(7);
    expect(percentile([7], 95)).toBe(7);
  });

  it('takes the nearest rank', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
  });
});

describe('lastHour', () => {
  const now = Date.parse('2026-12-02T16:30:42Z');
  const start = lastHourStart(now);

  it('charts sixty minutes, oldest first, ending with the current one, empty minutes included', () => {
    const hour = lastHour([], now);
    expect(Object.keys(hour).sort()).toEqual(Object.values(QueueName).sort());
    const reports = hour[QueueName.Reports];
    expect(reports).toHaveLength(60);
    expect(reports[0].at).toBe('2026-12-02T15:31:00.000Z');
    expect(reports[59].at).toBe('2026-12-02T16:30:00.000Z');
    expect(reports.every((m) => m.done === 0 && m.failed === 0 && m.p50Ms === null && m.p95Ms === null)).toBe(true);
  });

  it('counts each piece of work in its queue and minute, failures apart, with percentiles of its durations', () => {
    const at = start + 10 * MINUTE_MS + 5_000;
    const hour = lastHour(
      [
        { queue: QueueName.Reports, finishedAt: at, failed: false, ms: 300 },
        { queue: QueueName.Reports, finishedAt: at + 1000, failed: true, ms: 100 },
        { queue: QueueName.Reports, finishedAt: at + 2000, failed: false, ms: 200 },
        { queue: QueueName.Mail, finishedAt: now, failed: false, ms: 50 },
        // Outside the hour: ignored.
        { queue: QueueName.Reports, finishedAt: start - 1, failed: false, ms: 1 },
        { queue: QueueName.Reports, finishedAt: now + MINUTE_MS, failed: false, ms: 1 },
      ],
      now,
    );
    expect(hour[QueueName.Reports][10]).toEqual({ at: new Date(start + 10 * MINUTE_MS).toISOString(), done: 3, failed: 1, p50Ms: 200, p95Ms: 300 });
    expect(hour[QueueName.Reports].reduce((n, m) => n + m.done, 0)).toBe(3);
    expect(hour[QueueName.Mail][59]).toMatchObject({ done: 1, failed: 0, p50Ms: 50, p95Ms: 50 });
    expect(hour[QueueName.Bulk].every((m) => m.done === 0)).toBe(true);
  });
});
