import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { JobKind, JobPayload, JobResult, JobState, JobSubjectType } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';

/** One stage of an attempt and when it began (ISO). */
export interface JobStageMark {
  stage: string;
  at: string;
}

/**
 * A background job as users see it: the source of truth a browser resynchronises from. The id is
 * also the Bull job id, so a record and its queue entry can always be matched.
 */
@Entity({ tableName: 'jobs' })
@Index({ properties: ['createdById', 'createdAt'] })
@Index({ properties: ['subjectType', 'subjectId'] })
// The ops console's last hour reads what finished since a moment.
@Index({ properties: ['finishedAt'] })
/** The console's per-kind durations (recent completed runs) and its newest-first list. */
@Index({ properties: ['kind', 'state', 'finishedAt'] })
@Index({ properties: ['createdAt'] })
export class JobRecord {
  [OptionalProps]?: 'state' | 'stage' | 'progress' | 'attempts' | 'failedReason' | 'stages' | 'result' | 'payload' | 'createdById' | 'runToken' | 'createdAt' | 'startedAt' | 'finishedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  kind!: JobKind;

  @Index()
  @Property({ type: 'string', length: 16 })
  state: JobState = JobState.Queued;

  @Property({ type: 'string', length: 16 })
  subjectType!: JobSubjectType;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Property({ type: 'string', length: 32, nullable: true })
  stage: string | null = null;

  /** 0–100 */
  @Property({ type: 'integer' })
  progress = 0;

  /** Attempts started so far (1 while the first runs). */
  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text', nullable: true })
  failedReason: string | null = null;

  /**
   * The stages of the current attempt with the time each began (reset when an attempt starts), so
   * the operations console can show how long each took.
   */
  @Property({ type: 'json', nullable: true })
  stages: JobStageMark[] | null = null;

  @Property({ type: 'json', nullable: true })
  result: JobResult<JobKind> | null = null;

  /** The queue payload, kept so that a job lost from Redis can be enqueued again under the same id. */
  @Property({ type: 'json', nullable: true })
  payload: JobPayload<JobKind> | null = null;

  /** A plain column (records outlive users); null for the system. */
  @Property({ type: 'uuid', nullable: true })
  createdById: string | null = null;

  /**
   * The attempt that owns the record, set as it starts: its stage, completion and failure writes
   * apply only while it still holds it. A stale run (its Bull lock expired, the job taken over by
   * another worker) writes nothing over a newer attempt's record.
   */
  @Property({ type: 'uuid', nullable: true })
  runToken: string | null = null;

  @Property({ type: Date })
  createdAt: Date = new Date();

  @Property({ type: Date, nullable: true })
  startedAt: Date | null = null;

  @Property({ type: Date, nullable: true })
  finishedAt: Date | null = null;
}
