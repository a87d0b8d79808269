import { QueueName } from '@vetlab/shared';
import { aliveWorkers, workersByQueue } from './worker-heartbeats';

describe('worker heartbeats', () => {
  const now = Date.parse('2026-12-02T16:30:00Z');
  const disk = { freeBytes: 5e9, totalBytes: 2e10, low: false };
  const beat = (id: string, ageMs: number, queues: string[], renderThreads = 2, extra: object = { disk }) =>
    JSON.stringify({ id, host: 'lab-1', pid: 42, queues, renderThreads, startedAt: `2026-12-02T10:00:0${id.length % 10}.000Z`, lastSeenAt: now - ageMs, ...extra });

  it('keeps the workers reported within the ttl and names the stale or unreadable ones', () => {
    const { alive, stale } = aliveWorkers({ a: beat('a', 1000, ['reports', 'bogus']), b: beat('b', 20_000, ['mail']), c: 'not json', d: '{"host":1}' }, now, 15_000);
    expect(alive).toEqual([{ id: 'a', host: 'lab-1', pid: 42, queues: ['reports'], renderThreads: 2, disk, startedAt: '2026-12-02T10:00:01.000Z', lastSeenAt: new Date(now - 1000).toISOString() }]);
    expect(stale.sort()).toEqual(['b', 'c', 'd']);
  });

  it('reads no disk from a worker of an older version, or a garbled one', () => {
    const { alive } = aliveWorkers({ a: beat('a', 0, ['mail'], 0, {}), bb: beat('bb', 0, ['mail'], 0, { disk: { freeBytes: '1' } }) }, now, 15_000);
    expect(alive.map((w) => w.disk)).toEqual([null, null]);
  });

  it('counts workers per queue and render threads on the render queues only', () => {
    const { alive } = aliveWorkers({ a: beat('a', 0, Object.values(QueueName), 2), bb: beat('bb', 0, [QueueName.Reports, QueueName.Mail], 3) }, now, 15_000);
    const by = workersByQueue(alive);
    expect(by[QueueName.Reports]).toEqual({ workers: 2, renderThreads: 5 });
    expect(by[QueueName.WorkOrderPdfs]).toEqual({ workers: 1, renderThreads: 2 });
    expect(by[QueueName.Mail]).toEqual({ workers: 2, renderThreads: 0 });
    expect(by[QueueName.Bulk]).toEqual({ workers: 1, renderThreads: 0 });
  });
});
