import { Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, AuditAction, canTransition, FinalizeAccepted, JobKind, JobState, ProtocolStatus, ReportJobData, ReportVersionStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { BatchOutcome, TickBatch } from '../../common/tick-batch';
import { FastSql, SqliteTx } from '../../database/fast-sql.service';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobRecord } from '../../jobs/job.entity';

const FINALIZABLE: ReportVersionStatus[] = [ReportVersionStatus.Draft, ReportVersionStatus.FinalizeFailed];
/** Protocol statuses whose report may be finalized: reported already (an amendment), or able to become it. */
const REPORTABLE = Object.values(ProtocolStatus).filter((s) => s === ProtocolStatus.Reported || canTransition(s, ProtocolStatus.Reported));
const MISSING_NAMED = 10;

interface LatestVersionRow {
  id: string;
  number: number;
  status: ReportVersionStatus;
  protocol_status: ProtocolStatus;
  protocol_code: string;
  /** Results without a value (a string on PostgreSQL: count is a bigint). */
  missing: number | string;
}

const LATEST_VERSION = `
  select v.id, v.number, v.status, p.status as protocol_status, p.code as protocol_code,
         (select count(*) from result_rows rr where rr.version_id = v.id and (rr.value is null or rr.value = '')) as missing
    from report_versions v join reports r on r.id = v.report_id join protocols p on p.id = r.protocol_id
   where v.report_id = ? order by v.number desc limit 1`;

const MISSING_CODES = `
  select a.code from result_rows rr join analytes a on a.id = rr.analyte_id
   where rr.version_id = ? and (rr.value is null or rr.value = '') order by rr.position limit ?`;

/** The job that claimed a version in `finalizing`. */
const CURRENT_JOB = `
  select j.id, j.kind, j.state from report_versions v join jobs j on j.id = v.finalize_job_id
   where v.id = ? and v.status = ?`;

/**
 * The claim: the version moves to `finalizing` only if it is still in the status we read, has every
 * result, and its protocol may become reported. A new attempt renders what the version says now (a
 * failed one may have been edited since); lock_version is bumped so that a draft save racing this
 * request fails as stale. The job and signer come as SQL expressions: parameters, or a group's columns.
 */
const claimSet = (job: string, signer: string, now: string) => `
  set status = ?, finalize_job_id = ${job}, signer_id = ${signer}, failure_reason = null, pdf_key = null, pdf_sha256 = null,
      pdf_size = null, verification_code = null, finalized_at = null, lock_version = lock_version + 1, updated_at = ${now}`;
const claimWhere = (alias: string, id: string, status: string) => `
  ${alias}.id = ${id} and ${alias}.status = ${status}
  and not exists (select 1 from result_rows rr where rr.version_id = ${alias}.id and (rr.value is null or rr.value = ''))
  and exists (select 1 from reports r join protocols p on p.id = r.protocol_id where r.id = ${alias}.report_id
              and p.status in (${REPORTABLE.map(() => '?').join(', ')}))`;

const SQLITE_CLAIM = `update report_versions as v ${claimSet('?', '?', '?')} where ${claimWhere('v', '?', '?')}`;
const SQLITE_JOB = `insert into jobs (id, kind, state, subject_type, subject_id, progress, attempts, payload, created_by_id, created_at)
                    values (?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`;
const SQLITE_AUDIT = `insert into audit_log (id, actor_id, at, entity, entity_id, action, before, after, job_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** PostgreSQL: the same three writes as one statement, one round trip, atomic on its own. */
const PG_CLAIM = `
  with claimed as (
    update report_versions as v ${claimSet('?', '?', '?::timestamptz')} where ${claimWhere('v', '?', '?')} returning v.id
  ), job as (
    insert into jobs (id, kind, state, subject_type, subject_id, progress, attempts, payload, created_by_id, created_at)
    select ?::uuid, ?, ?, ?, ?::uuid, 0, 0, ?::jsonb, ?::uuid, ?::timestamptz from claimed
  ), audit as (
    insert into audit_log (id, actor_id, at, entity, entity_id, action, before, after, job_id)
    select ?::uuid, ?::uuid, ?::timestamptz, ?, ?::uuid, ?, ?::jsonb, ?::jsonb, ? from claimed
  )
  select count(*) as claimed from claimed`;

/**
 * PostgreSQL, a group of requests, in one statement and one round trip: each report's latest
 * version, and every claim, job record and audit entry that version allows (it is finalizable as
 * read, and the claim's conditions hold). The per-request values come as parallel arrays; reports
 * must be distinct. Answers the claims it made; every other report was refused, or moved meanwhile.
 */
const PG_CLAIM_GROUP = `
  with input as (
    select * from unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[]) as i(report_id, user_id, job_id, audit_id)
  ), latest as (
    select distinct on (v.report_id) v.id, v.report_id, v.number, v.status, i.user_id, i.job_id, i.audit_id
      from input i join report_versions v on v.report_id = i.report_id
     order by v.report_id, v.number desc
  ), claimed as (
    update report_versions as v ${claimSet('l.job_id', 'l.user_id', '?::timestamptz')}
      from latest l where l.status in (${FINALIZABLE.map(() => '?').join(', ')}) and ${claimWhere('v', 'l.id', 'l.status')}
    returning l.*
  ), job as (
    insert into jobs (id, kind, state, subject_type, subject_id, progress, attempts, payload, created_by_id, created_at)
    select c.job_id, ?, ?, ?, c.report_id, 0, 0, jsonb_build_object('reportId', c.report_id, 'versionId', c.id, 'version', c.number),
           c.user_id, ?::timestamptz
      from claimed c
  ), audit as (
    insert into audit_log (id, actor_id, at, entity, entity_id, action, before, after, job_id)
    select c.audit_id, c.user_id, ?::timestamptz, ?, c.report_id, ?, jsonb_build_object('versionNumber', c.number, 'status', c.status),
           jsonb_build_object('versionNumber', c.number, 'status', ?::text), c.job_id::text
      from claimed c
  )
  select report_id, id as version_id, number, job_id from claimed`;

type Claimed = { job: Pick<JobRecord, 'id' | 'kind' | 'state'>; data: ReportJobData };

interface ClaimRequest {
  user: AuthUser;
  reportId: string;
}

/**
 * `POST /api/reports/:id/finalize`: validate, claim the version, record the job, enqueue, answer.
 * Nothing heavy here: the work is the job's.
 *
 * A signer's click must answer in a few milliseconds even when twenty arrive together, so this path
 * is plain SQL on prepared statements (FastSql), not the unit of work: one read, then one atomic
 * claim that repeats the read's checks as conditions (a SQLite transaction that takes the write
 * lock first, or a single PostgreSQL statement). Idempotent in the database: of two concurrent
 * requests one claims the version and the other answers with the same job.
 *
 * Claims that arrive together (requests read in the same turn of the event loop) are made together
 * at the next turn:
 * - SQLite: one transaction (a group commit), each claim in its own savepoint, so a refusal or a
 *   failure of one never touches the others. One commit writes the log pages twenty wrote one by one.
 * - PostgreSQL: one statement reads every report's latest version and makes every claim it can;
 *   twenty requests wait for one round trip instead of queueing forty on the pool. A request that
 *   it did not claim (refused, already claimed, moved meanwhile, a repeat within the group) takes
 *   the single-request path, which gives the reason or the job that has it.
 */
@Injectable()
export class FinalizeRequestService {
  /** SQLite: the claims of one turn of the event loop, in one transaction. */
  private readonly claims = new TickBatch<ClaimRequest, Claimed>((group) =>
    this.sql.sqlite(
      (tx) =>
        group.map(({ user, reportId }) => {
          try {
            return { value: tx.savepoint(() => this.claimSqlite(tx, user, reportId)) };
          } catch (e) {
            return { error: e };
          }
        }),
      { write: true },
    ),
  );

  /** PostgreSQL: the claims of one turn of the event loop, in one statement. */
  private readonly pgClaims = new TickBatch<ClaimRequest, Claimed>((group) => this.claimPgGroup(group));

  constructor(
    private readonly sql: FastSql,
    private readonly queue: JobQueues,
  ) {}

  async finalize(user: AuthUser, reportId: string): Promise<FinalizeAccepted> {
    const { job, data } = await this.claim(user, reportId);
    // After commit: the worker must find the version claimed. Re-adding an unfinished job heals a
    // crash between an earlier commit and its enqueue (Bull ignores an id it already has).
    if (ACTIVE_JOB_STATES.includes(job.state)) await this.queue.add(JobKind.FinalizeReport, job.id, data);
    return { jobId: job.id, kind: job.kind, state: job.state, reportId };
  }

  /** The version claimed for a new job, or the job that already claimed it; refusals are thrown. */
  claim(user: AuthUser, reportId: string): Promise<Claimed> {
    return (this.sql.driver === 'sqlite' ? this.claims : this.pgClaims).push({ user, reportId });
  }

  /** The read, its checks and the claim, synchronously inside the group's transaction. */
  private claimSqlite(tx: SqliteTx, user: AuthUser, reportId: string, retried = false): Claimed {
    const [version] = tx.all<LatestVersionRow>(LATEST_VERSION, [reportId]);
    if (!version) throw notFound('report');
    const data: ReportJobData = { reportId, versionId: version.id, version: version.number };
    if (version.status === ReportVersionStatus.Finalizing) {
      return { job: claimedBy(version, tx.all<Claimed['job']>(CURRENT_JOB, [version.id, ReportVersionStatus.Finalizing])), data };
    }
    this.assertFinalizable(version, () => tx.all<{ code: string }>(MISSING_CODES, [version.id, MISSING_NAMED + 1]));
    const args = writeArgs(user, version, data, Date.now()); // how the ORM keeps dates on SQLite
    if (tx.run(SQLITE_CLAIM, args.claim) === 1) {
      tx.run(SQLITE_JOB, args.job);
      tx.run(SQLITE_AUDIT, args.audit);
      return { job: queuedJob(args.jobId), data };
    }
    // Nobody else writes while the lock is held: only an earlier claim of this group moved it.
    if (retried) throw conflict(`version ${version.number} of this report changed meanwhile; reload it`);
    return this.claimSqlite(tx, user, reportId, true);
  }

  /** PostgreSQL: one read, then the claim as one statement. */
  private async claimPg(user: AuthUser, reportId: string, retried = false): Promise<Claimed> {
    const [version] = await this.sql.all<LatestVersionRow>(LATEST_VERSION, [reportId]);
    if (!version) throw notFound('report');
    const data: ReportJobData = { reportId, versionId: version.id, version: version.number };
    if (version.status === ReportVersionStatus.Finalizing) {
      return { job: claimedBy(version, await this.sql.all<Claimed['job']>(CURRENT_JOB, [version.id, ReportVersionStatus.Finalizing])), data };
    }
    const missing = Number(version.missing) > 0 ? await this.sql.all<{ code: string }>(MISSING_CODES, [version.id, MISSING_NAMED + 1]) : [];
    this.assertFinalizable(version, () => missing);

    const args = writeArgs(user, version, data, new Date());
    const [row] = await this.sql.all<{ claimed: string | number }>(PG_CLAIM, [...args.claim, ...args.job, ...args.audit]);
    if (Number(row?.claimed) === 1) return { job: queuedJob(args.jobId), data };
    // Someone moved the version since we read it (a concurrent finalize, an edit): look again once.
    if (retried) throw conflict(`version ${version.number} of this report changed meanwhile; reload it`);
    return this.claimPg(user, reportId, true);
  }

  /**
   * PostgreSQL, a group: one statement claims every report it can (the first request for each);
   * every other request goes through claimPg on its own, which refuses with the reason or answers
   * with the job that has the version.
   */
  private async claimPgGroup(group: ClaimRequest[]): Promise<BatchOutcome<Claimed>[]> {
    // The first request for each report tries, with a job id of its own; repeats go one by one.
    const tries = new Map<number, { reportId: string; userId: string; jobId: string; auditId: string }>();
    const reports = new Set<string>();
    group.forEach(({ user, reportId }, index) => {
      const key = reportId.toLowerCase();
      if (reports.has(key)) return;
      reports.add(key);
      tries.set(index, { reportId: key, userId: user.id, jobId: randomUUID(), auditId: randomUUID() });
    });
    const now = new Date();
    const rows = await this.sql.all<{ report_id: string; version_id: string; number: number; job_id: string }>(PG_CLAIM_GROUP, [
      ...(['reportId', 'userId', 'jobId', 'auditId'] as const).map((k) => [...tries.values()].map((t) => t[k])),
      ReportVersionStatus.Finalizing,
      now,
      ...FINALIZABLE,
      ...REPORTABLE,
      JobKind.FinalizeReport,
      JobState.Queued,
      'report',
      now,
      now,
      'report',
      AuditAction.StatusChange,
      ReportVersionStatus.Finalizing,
    ]);
    const claimed = new Map(rows.map((r) => [r.job_id, r]));
    return Promise.all(
      group.map(async ({ user, reportId }, index): Promise<BatchOutcome<Claimed>> => {
        const row = claimed.get(tries.get(index)?.jobId ?? '');
        if (row) {
          const data: ReportJobData = { reportId: row.report_id, versionId: row.version_id, version: Number(row.number) };
          return { value: { job: queuedJob(row.job_id), data } };
        }
        try {
          return { value: await this.claimPg(user, reportId) };
        } catch (error) {
          return { error };
        }
      }),
    );
  }

  /**
   * A version that may be claimed: a finalizable status, every result, and a protocol that may
   * become reported (an amendment's already is).
   */
  private assertFinalizable(version: LatestVersionRow, missingCodes: () => { code: string }[]) {
    if (!FINALIZABLE.includes(version.status)) {
      throw conflict(`version ${version.number} of this report is already ${version.status}; amend the report to change it`);
    }
    if (Number(version.missing) > 0) {
      const missing = missingCodes();
      const names = missing.slice(0, MISSING_NAMED).map((r) => r.code).join(', ');
      throw conflict(`every result needs a value before finalizing; missing: ${names}${missing.length > MISSING_NAMED ? ', …' : ''}`);
    }
    if (!REPORTABLE.includes(version.protocol_status)) {
      throw conflict(`protocol ${version.protocol_code} is ${version.protocol_status}; its report can be finalized once the protocol is in analysis`);
    }
  }
}

/** A new claim's job id, and the parameters of its claim, job record and audit entry (SQLITE_*, PG_CLAIM). */
function writeArgs(user: AuthUser, version: LatestVersionRow, data: ReportJobData, now: unknown) {
  const jobId = randomUUID();
  const status = ReportVersionStatus.Finalizing;
  return {
    jobId,
    claim: [status, jobId, user.id, now, version.id, version.status, ...REPORTABLE],
    job: [jobId, JobKind.FinalizeReport, JobState.Queued, 'report', data.reportId, JSON.stringify(data), user.id, now],
    audit: [
      randomUUID(),
      user.id,
      now,
      'report',
      data.reportId,
      AuditAction.StatusChange,
      JSON.stringify({ versionNumber: version.number, status: version.status }),
      JSON.stringify({ versionNumber: version.number, status }),
      jobId,
    ],
  };
}

function queuedJob(id: string): Claimed['job'] {
  return { id, kind: JobKind.FinalizeReport, state: JobState.Queued };
}

/** The job that claimed the version (another request's, committed before our claim ran). */
function claimedBy(version: LatestVersionRow, [job]: Claimed['job'][]): Claimed['job'] {
  if (!job) throw conflict(`version ${version.number} of this report changed meanwhile; reload it`);
  return job;
}
