import { DiskSpace, OpsOverview } from '@vetlab/shared';
import { overviewKey } from './ops-ticker.service';

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const roomy: DiskSpace = { freeBytes: 40 * GiB, totalBytes: 100 * GiB, low: false };

const overview = (at: string, lastSeenAt: string, renderThreads = 1, disk: DiskSpace | null = roomy): OpsOverview => ({
  at,
  redis: true,
  queues: [],
  workers: [{ id: 'w1', host: 'h', pid: 1, queues: ['reports'], renderThreads, disk, startedAt: '2026-12-02T10:00:00.000Z', lastSeenAt }],
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

  it('ignores the free bytes of a disk with room (they move with every write), not a disk that turns low', () => {
    expect(overviewKey(overview('t', 'x', 1, roomy))).toBe(overviewKey(overview('t', 'x', 1, { ...roomy, freeBytes: roomy.freeBytes - 12_345 })));
    const low: DiskSpace = { freeBytes: 300 * MiB, totalBytes: 100 * GiB, low: true };
    expect(overviewKey(overview('t', 'x', 1, roomy))).not.toBe(overviewKey(overview('t', 'x', 1, low)));
    // A low disk shows its free space in MiB: a change of a few bytes draws nothing new, of a MiB it does.
    expect(overviewKey(overview('t', 'x', 1, low))).toBe(overviewKey(overview('t', 'x', 1, { ...low, freeBytes: low.freeBytes - 1000 })));
    expect(overviewKey(overview('t', 'x', 1, low))).not.toBe(overviewKey(overview('t', 'x', 1, { ...low, freeBytes: low.freeBytes - 2 * MiB })));
  });
});
