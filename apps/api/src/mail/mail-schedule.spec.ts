import { giveUpAt, MailRetryLater, mailBackoff, retryDelayMs } from './mail-schedule';

const s = { retryMinMs: 30_000, retryMaxMs: 600_000, giveUpAfterMs: 24 * 3600_000 };

describe('mail schedule', () => {
  it('waits 30 s after the first failure, doubling, never more than 10 min apart', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map((n) => retryDelayMs(n, s))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
  });

  it('gives up a day after the mail was queued, or after it was last sent again by staff', () => {
    const createdAt = new Date('2026-12-01T10:00:00Z');
    expect(giveUpAt({ createdAt, resentAt: null }, s).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(giveUpAt({ createdAt, resentAt: new Date('2026-12-03T08:00:00Z') }, s).toISOString()).toBe('2026-12-04T08:00:00.000Z');
  });

  it("Bull waits what the delivery chose, or the shortest retry for any other error", () => {
    const backoff = mailBackoff(s);
    expect(backoff(3, new MailRetryLater('451 busy', 45_000))).toBe(45_000);
    expect(backoff(3, new Error('connection lost'))).toBe(30_000);
  });
});
