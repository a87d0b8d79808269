import { OpsOverview } from '@vetlab/shared';
import { overviewKey } from './ops-ticker.service';

const overview = (at: string, lastSeenAt: string, renderThreads = 1): OpsOverview => ({
  at,
  redis: true,
  queues: [],
  workers: [{ id: 'w1', host: 'h', pid: 1, queues: ['reports'], renderThreads, startedAt: '2026-12-02T10:00:00.000Z', lastSeenAt }],
});

describe('overviewKey', () => {
  it('is the same when only the time and the workers’ heartbeats moved (nothing new to draw)', () => {
    expect(overviewKey(overview('2026-12-02T10:00:01.000Z', '2026-12-02T10:00:01.000Z'))).toBe(
      overviewKey(overview('2026-12-02T10:00:06.000Z', '2026-12-02T10:00:05.000Z')),
    );
  });

  it('changes when anything the console shows changes', () => {
    expect(overviewKey(overview('t', 'x', 1))).not.toBe(overviewKey(overview('t', 'x', 2)));
  });
});
