import { JobKind, JobState, StuckReason } from '@vetlab/shared';
import type { AppConfig } from '../../config/app-config';
import type { JobQueues } from '../../jobs/job-queues.service';
import { JobRecord } from '../../jobs/job.entity';
import type { OpsJobsRepository } from './ops-jobs.repository';
import { OpsStuckService } from './ops-stuck.service';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const config = { jobs: { strandedGraceMs: 10_000 }, ops: { stuckFactor: 5, stuckMinMs: 60_000 } } as AppConfig;

function job(over: Partial<JobRecord>): JobRecord {
  return Object.assign(new JobRecord(), { id: 'j1', kind: JobKind.FinalizeReport, subjectType: 'report', subjectId: 'r1', createdAt: new Date(NOW - 3600_000), ...over });
}

describe('OpsStuckService.verdict', () => {
  const sut = new OpsStuckService({} as OpsJobsRepository, {} as JobQueues, config);
  const limits = new Map([[JobKind.FinalizeReport, 120_000]]);
  const inRedis = (state: string | null) => new Map([['j1', state]]);

  it('an active job past its kind’s limit, counted from this attempt’s first stage', () => {
    const began = new Date(NOW - 200_000).toISOString();
    expect(sut.verdict(job({ state: JobState.Active, stages: [{ stage: 'loading', at: began }] }), inRedis('active'), limits, NOW)).toEqual({ reason: StuckReason.TooLong, forMs: 200_000, limitMs: 120_000 });
    const recent = new Date(NOW - 100_000).toISOString();
    expect(sut.verdict(job({ state: JobState.Active, startedAt: new Date(NOW - 900_000), stages: [{ stage: 'loading', at: recent }] }), inRedis('active'), limits, NOW)).toBeNull();
  });

  it('a job the database expects and Redis lacks, once past the grace period', () => {
    expect(sut.verdict(job({ state: JobState.Queued }), inRedis(null), limits, NOW)).toMatchObject({ reason: StuckReason.MissingInRedis, limitMs: null });
    expect(sut.verdict(job({ state: JobState.Queued, createdAt: new Date(NOW - 5000) }), inRedis(null), limits, NOW)).toBeNull();
    expect(sut.verdict(job({ state: JobState.Retrying }), inRedis('delayed'), limits, NOW)).toBeNull();
  });

  it('nothing when Redis could not be asked, or the job is over', () => {
    expect(sut.verdict(job({ state: JobState.Queued }), new Map(), limits, NOW)).toBeNull();
    expect(sut.verdict(job({ state: JobState.Failed }), inRedis(null), limits, NOW)).toBeNull();
  });
});
