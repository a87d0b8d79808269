import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, JobKind, JobState, JOBS, OpsJobQuery, QueueName, values } from '@vetlab/shared';
import { JobRecord } from '../../jobs/job.entity';
import { z } from 'zod';
import { SubjectFacts } from './ops-job-rules';

/** At most this many subjects match one `subject` search (a short prefix of a code matches many). */
const SUBJECT_MATCHES = 2000;
/** Recent completed runs a kind's p99 is taken from. */
const DURATION_SAMPLES = 500;
const DURATION_WINDOW_MS = 24 * 3600_000;

export type OpsJobFilter = Omit<z.output<typeof OpsJobQuery>, 'page' | 'pageSize'>;

/** The kinds a queue carries. */
export const kindsOf = (queue: QueueName): JobKind[] => values(JobKind).filter((k) => JOBS[k].queue === queue);

/**
 * The operations console's reads of the `jobs` table and of the subjects that name its rows. The
 * rows' writes stay with JobsService (the table's one writer).
 */
@Injectable()
export class OpsJobsRepository {
  constructor(private readonly em: EntityManager) {}

  /** A page of records, newest first, and how many match. */
  async page(filter: OpsJobFilter, page: number, pageSize: number): Promise<[JobRecord[], number]> {
    const em = this.em.fork();
    const where = await this.where(em, filter);
    if (!where) return [[], 0];
    return em.findAndCount(JobRecord, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: pageSize, offset: (page - 1) * pageSize });
  }

  async one(id: string): Promise<JobRecord | null> {
    return this.em.fork().findOne(JobRecord, { id });
  }

  /** Every failed record of these kinds, oldest first (a queue's "retry all failed"). */
  async failedOf(kinds: JobKind[]): Promise<JobRecord[]> {
    if (!kinds.length) return [];
    return this.em.fork().find(JobRecord, { kind: { $in: kinds }, state: JobState.Failed }, { orderBy: { createdAt: 'asc' } });
  }

  /**
   * Records that may be stuck: every active one, and those the database expects to run (queued,
   * active, retrying) created before `before` (younger ones may be being added to Redis now).
   */
  async running(before: Date): Promise<JobRecord[]> {
    return this.em.fork().find(JobRecord, { $or: [{ state: JobState.Active }, { state: { $in: [...ACTIVE_JOB_STATES] }, createdAt: { $lt: before } }] });
  }

  /** How long the recent completed runs of a kind took, in ms (from its first start to its end). */
  async durations(kind: JobKind, now = new Date()): Promise<number[]> {
    const rows = await this.em.fork().find(
      JobRecord,
      { kind, state: JobState.Completed, finishedAt: { $gt: new Date(now.getTime() - DURATION_WINDOW_MS) } },
      { fields: ['startedAt', 'finishedAt'], orderBy: { finishedAt: 'desc' }, limit: DURATION_SAMPLES },
    );
    return rows.flatMap((r) => (r.startedAt && r.finishedAt ? [r.finishedAt.getTime() - r.startedAt.getTime()] : []));
  }

  /** The names of subjects, one query per subject type: protocol code and id, or bulk number and starter. */
  async subjectFacts(records: readonly JobRecord[]): Promise<Map<string, SubjectFacts>> {
    const ids = (type: string) => [...new Set(records.filter((r) => r.subjectType === type).map((r) => r.subjectId))];
    const facts = new Map<string, SubjectFacts>();
    const protocolOf = async (table: 'reports' | 'work_orders', list: string[]) => {
      if (!list.length) return;
      const rows = await this.sql<{ id: string; protocol_id: string; code: string }>(
        `select s.id, p.id as protocol_id, p.code from ${table} s join protocols p on p.id = s.protocol_id where s.id in (${marks(list)})`,
        list,
      );
      for (const r of rows) facts.set(String(r.id).toLowerCase(), { protocolId: r.protocol_id, code: r.code });
    };
    await protocolOf('reports', ids('report'));
    await protocolOf('work_orders', ids('work_order'));
    const bulk = ids('bulk');
    if (bulk.length) {
      const rows = await this.sql<{ id: string; number: number | string; name: string | null }>(
        `select b.id, b.number, u.name from bulk_runs b left join users u on u.id = b.created_by_id where b.id in (${marks(bulk)})`,
        bulk,
      );
      for (const r of rows) facts.set(String(r.id).toLowerCase(), { bulkNumber: Number(r.number), bulkBy: r.name });
    }
    return facts;
  }

  /** Names of users by id, one query. */
  async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const list = [...new Set(ids.filter((id): id is string => !!id))];
    if (!list.length) return new Map();
    const rows = await this.sql<{ id: string; name: string }>(`select id, name from users where id in (${marks(list)})`, list);
    return new Map(rows.map((r) => [String(r.id).toLowerCase(), r.name]));
  }

  /** The filter as a query; null when it can match nothing (a queue without records, a subject found nowhere). */
  private async where(em: EntityManager, f: OpsJobFilter): Promise<FilterQuery<JobRecord> | null> {
    const where: FilterQuery<JobRecord> & Record<string, unknown> = {};
    const kinds = f.queue ? kindsOf(f.queue).filter((k) => JOBS[k].recorded) : null;
    if (kinds && !kinds.length) return null;
    if (f.kind) {
      if (kinds && !kinds.includes(f.kind)) return null;
      where.kind = f.kind;
    } else if (kinds) where.kind = { $in: kinds };
    if (f.state) where.state = f.state;
    if (f.createdBy) where.createdById = f.createdBy;
    const created: Record<string, Date> = {};
    if (f.from) created.$gte = new Date(f.from);
    if (f.to) created[isDay(f.to) ? '$lt' : '$lte'] = isDay(f.to) ? new Date(Date.parse(f.to) + 24 * 3600_000) : new Date(f.to);
    if (Object.keys(created).length) where.createdAt = created;
    if (f.subject) {
      const subjects = await this.subjectsMatching(em, f.subject);
      if (!subjects.length) return null;
      where.subjectId = { $in: subjects };
    }
    return where;
  }

  /** Subject ids a search names: the id itself, reports and work orders of protocols whose code starts so, a bulk run by number ("#17"). */
  private async subjectsMatching(em: EntityManager, text: string): Promise<string[]> {
    const code = `${text.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const number = /^#?(\d{1,9})$/.exec(text)?.[1];
    const rows = await this.sql<{ id: string }>(
      `select r.id from reports r join protocols p on p.id = r.protocol_id where upper(p.code) like ? escape '\\'
       union select w.id from work_orders w join protocols p on p.id = w.protocol_id where upper(p.code) like ? escape '\\'
       ${number ? 'union select b.id from bulk_runs b where b.number = ?' : ''}
       limit ${SUBJECT_MATCHES}`,
      number ? [code, code, Number(number)] : [code, code],
      em,
    );
    const ids = rows.map((r) => String(r.id));
    if (/^[0-9a-f-]{36}$/i.test(text)) ids.push(text.toLowerCase());
    return ids;
  }

  private sql<T>(query: string, params: unknown[], em = this.em): Promise<T[]> {
    return em.getConnection().execute(query, params, 'all');
  }
}

const marks = (list: readonly unknown[]) => list.map(() => '?').join(', ');
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);
