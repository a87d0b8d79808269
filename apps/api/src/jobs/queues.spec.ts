import { JobKind, QueueName } from '@vetlab/shared';
import { byQueue } from './queues';

describe('byQueue', () => {
  it('groups items by the queue of their kind, keeping their order (both report kinds share one queue)', () => {
    const items = [
      { id: 'a', kind: JobKind.FinalizeReport },
      { id: 'b', kind: JobKind.WorkOrderPdf },
      { id: 'c', kind: JobKind.ReportPdf },
    ];
    const groups = byQueue(items, (i) => i.kind);
    expect([...groups.keys()]).toEqual([QueueName.Reports, QueueName.WorkOrderPdfs]);
    expect(groups.get(QueueName.Reports)?.map((i) => i.id)).toEqual(['a', 'c']);
  });
});
