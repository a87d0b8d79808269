import { JobKind, JobState } from '@vetlab/shared';
import { actionsFor, labelOf, MIN_SAMPLES, p99, stagesView, stuckLimit } from './ops-job-rules';

describe('p99 and the stuck limit', () => {
  it('takes the nearest-rank 99th percentile', () => {
    expect(p99([])).toBeNull();
    expect(p99([5])).toBe(5);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(p99(hundred)).toBe(99);
    expect(p99([...hundred].reverse())).toBe(99);
  });

  it('is factor × p99, never under the floor, and the floor alone with too few runs', () => {
    const runs = Array.from({ length: MIN_SAMPLES }, () => 1000);
    expect(stuckLimit(runs, 5, 100)).toBe(5000);
    expect(stuckLimit(runs, 5, 60_000)).toBe(60_000);
    expect(stuckLimit(runs.slice(1), 5, 100)).toBe(100);
  });
});

describe('stagesView', () => {
  it('gives each stage its length until the next, the last until the end or null while running', () => {
    const marks = [
      { stage: 'loading', at: '2026-01-01T00:00:00.000Z' },
      { stage: 'rendering', at: '2026-01-01T00:00:00.250Z' },
    ];
    expect(stagesView(marks, null)).toEqual([
      { stage: 'loading', at: marks[0].at, ms: 250 },
      { stage: 'rendering', at: marks[1].at, ms: null },
    ]);
    expect(stagesView(marks, new Date('2026-01-01T00:00:01.250Z'))[1].ms).toBe(1000);
    expect(stagesView(null, null)).toEqual([]);
  });
});

describe('actionsFor', () => {
  const base = { kind: JobKind.FinalizeReport, bullState: null, stuck: false };
  it('offers what applies now', () => {
    expect(actionsFor({ ...base, state: JobState.Failed, bullState: 'failed' })).toEqual(['retry', 'discard']);
    expect(actionsFor({ ...base, state: JobState.Retrying, bullState: 'delayed' })).toEqual(['discard', 'promote']);
    expect(actionsFor({ ...base, state: JobState.Active, stuck: true })).toEqual(['hand_back']);
    expect(actionsFor({ ...base, state: JobState.Completed, stuck: true, bullState: undefined })).toEqual([]);
  });
});

describe('labelOf', () => {
  it('names each subject in the lab’s words with a link', () => {
    const facts = { protocolId: 'p1', code: 'P-2026-000123' };
    expect(labelOf(JobKind.FinalizeReport, 'r1', facts, 2)).toEqual({ label: 'Informe de P-2026-000123 v2', link: '/protocols/p1' });
    expect(labelOf(JobKind.ReportPdf, 'r1', facts, 2).label).toBe('PDF del informe P-2026-000123 v2');
    expect(labelOf(JobKind.WorkOrderPdf, 'w1', facts, null)).toEqual({ label: 'Orden de trabajo P-2026-000123', link: '/protocols/p1' });
    expect(labelOf(JobKind.BulkProtocols, 'b1', { bulkNumber: 17, bulkBy: 'Ana Pérez' }, null)).toEqual({ label: 'Lote #17 de Ana Pérez', link: '/bulk/b1' });
  });
});
