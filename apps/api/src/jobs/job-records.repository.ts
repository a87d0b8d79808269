import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { JobKind, JobResult, JobState, JobSubjectType } from '@vetlab/shared';
import { executeUpdate, insertValues, jsonParam, selectRows } from '../database/database';
import { JobRecord, JobStageMark } from './job.entity';

/** What an attempt keeps of its record while it runs: what its events carry and its audience is decided from. */
export type RunRecord = Pick<JobRecord, 'id' | 'kind' | 'state' | 'subjectType' | 'subjectId' | 'stage' | 'progress' | 'attempts' | 'failedReason' | 'createdById' | 'stages'>;

interface RunRow {
  id: string;
  kind: JobKind;
  state: JobState;
  subject_type: JobSubjectType;
  subject_id: string;
  stage: string | null;
  progress: number;
  attempts: number;
  failed_reason: string | null;
  created_by_id: string | null;
}

/**
 * The writes of a job record's attempts, as plain SQL with bound values: every job runs them (the
 * start, its stages, its end), and through the unit of work (a load, a change set per flush) they
 * cost the worker more CPU than the statements themselves. The record's other writers (requeue,
 * discard, hand-back) stay in JobsService on the ORM.
 */
@Injectable()
export class JobRecordsRepository {
  /** A new record as its entity says (JobsService.create), in `em`'s transaction. */
  async insert(em: EntityManager, r: JobRecord): Promise<void> {
    await insertValues(
      em,
      'jobs',
      ['id', 'kind', 'state', 'subject_type', 'subject_id', 'stage', 'progress', 'attempts', 'payload', 'created_by_id', 'created_at'],
      [[r.id, r.kind, r.state, r.subjectType, r.subjectId, r.stage, r.progress, r.attempts, jsonParam(r.payload), r.createdById, em.getPlatform().processDateProperty(r.createdAt)]],
    );
  }

  /** The record as an attempt starts from it; null when there is none. Its stages are not read: an attempt starts a new list. */
  async forRun(em: EntityManager, id: string): Promise<RunRecord | null> {
    const [row] = await selectRows<RunRow>(em, 'select id, kind, state, subject_type, subject_id, stage, progress, attempts, failed_reason, created_by_id from jobs where id = ?', [id]);
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      state: row.state,
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      stage: row.stage,
      progress: Number(row.progress),
      attempts: Number(row.attempts),
      failedReason: row.failed_reason,
      createdById: row.created_by_id,
      stages: null,
    };
  }

  /**
   * An attempt begins: active, its number, its run token, no stages yet, the first start kept. The
   * writes that follow carry the token and apply only while the record still holds it: a stale run
   * (its Bull lock lost, the job taken over) finds a newer token and writes nothing. `null`: a
   * write outside a job's run (the synchronous baseline), not fenced.
   */
  async start(em: EntityManager, id: string, attempt: number, token: string): Promise<void> {
    const now = em.getPlatform().processDateProperty(new Date());
    await executeUpdate(em, `update jobs set state = ?, attempts = ?, started_at = coalesce(started_at, ?), finished_at = null, stages = ?, run_token = ? where id = ?`, [
      JobState.Active,
      attempt,
      now,
      '[]',
      token,
      id,
    ]);
  }

  /** The attempt's latest stage, its progress and the stages so far; false when a newer attempt owns the record. */
  async writeStage(em: EntityManager, id: string, token: string, s: { stage: string | null; progress: number; stages: JobStageMark[] | null }): Promise<boolean> {
    return asRun(em, token, 'update jobs set stage = ?, progress = ?, stages = ? where id = ?', [s.stage, s.progress, jsonParam(s.stages), id]);
  }

  /** The attempt completed, with its result and the stages not written yet; false when a newer attempt owns the record. */
  async complete(em: EntityManager, id: string, token: string | null, s: { stage: string | null; stages: JobStageMark[] | null; result: JobResult<JobKind> }): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    return asRun(em, token, 'update jobs set state = ?, stage = ?, progress = 100, stages = ?, result = ?, failed_reason = null, finished_at = ? where id = ?', [
      JobState.Completed,
      s.stage,
      jsonParam(s.stages),
      jsonParam(s.result),
      now,
      id,
    ]);
  }

  /** The attempt failed and another follows (or the sweeper runs the job again); false when a newer attempt owns the record. */
  async retrying(em: EntityManager, id: string, token: string | null, reason: string): Promise<boolean> {
    return asRun(em, token, 'update jobs set state = ?, failed_reason = ? where id = ?', [JobState.Retrying, reason, id]);
  }
}

/** An attempt's write (`… where id = ?`), fenced by its run token unless null; true when it applied. */
async function asRun(em: EntityManager, token: string | null, sql: string, params: unknown[]): Promise<boolean> {
  return (await executeUpdate(em, token === null ? sql : `${sql} and run_token = ?`, token === null ? params : [...params, token])) === 1;
}

