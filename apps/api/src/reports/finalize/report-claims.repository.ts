import { EntityManager } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isDatabaseBusy, SQLITE_BUSY_TIMEOUT_MS } from '../../database/database';
import { JobKind, JobState, ProtocolStatus, ReportVersionStatus } from '@vetlab/shared';

/** SQL of "this result row has no value yet" (values are stored trimmed, a blank one as null). */
const MISSING = `(rr.value is null or rr.value = '')`;

/** A report's latest version, as a finalize request reads it. */
export interface LatestVersion {
  id: string;
  number: number;
  status: ReportVersionStatus;
  protocolStatus: ProtocolStatus;
  protocolCode: string;
  /** Results without a value. */
  missing: number;
}

export interface VersionClaim {
  versionId: string;
  /** The status it was read in: the claim only happens if it is still there. */
  from: ReportVersionStatus;
  jobId: string;
  signerId: string;
  /** Protocol statuses that allow it (the claim re-checks them). */
  reportable: readonly ProtocolStatus[];
}

/**
 * The claim of a report version for a finalize job: reading the latest version with what decides
 * whether it may be claimed, and the conditional update that moves it to `finalizing`. Every
 * statement runs in the caller's transaction (`em`).
 */
@Injectable()
export class ReportClaimsRepository {
  private readonly sqlite: boolean;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.sqlite = config.database.driver === 'sqlite';
  }

  /**
   * SQLite: takes the database's write lock before the claim reads anything, without ever putting
   * the event loop to sleep. A transaction that read first could not write once another process
   * (the worker) had committed meanwhile; and SQLite's own busy handler would wait for the lock by
   * sleeping the whole thread, in steps of up to 100 ms, while other people's requests wait behind.
   * So the lock is tried without waiting and waited for here, asynchronously, in millisecond steps,
   * as long as SQLite's busy timeout would. PostgreSQL needs nothing: the conditional update
   * re-checks what was read.
   */
  async lockForClaim(em: EntityManager): Promise<void> {
    if (!this.sqlite) return;
    const conn = em.getConnection();
    const ctx = em.getTransactionContext();
    await conn.execute('pragma busy_timeout = 0', [], 'all', ctx);
    try {
      for (let attempt = 1, deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS; ; attempt++) {
        try {
          await conn.execute('update report_versions set id = id where 0', [], 'run', ctx);
          return;
        } catch (e) {
          if (!isDatabaseBusy(e) || Date.now() > deadline) throw e;
        }
        await new Promise((r) => setTimeout(r, Math.min(attempt, 5)));
      }
    } finally {
      await conn.execute(`pragma busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`, [], 'all', ctx);
    }
  }

  async latestVersion(em: EntityManager, reportId: string): Promise<LatestVersion | null> {
    const [row] = await em.getConnection().execute(
      `select v.id, v.number, v.status, p.status as protocol_status, p.code as protocol_code,
              (select count(*) from result_rows rr where rr.version_id = v.id and ${MISSING}) as missing
         from report_versions v join reports r on r.id = v.report_id join protocols p on p.id = r.protocol_id
        where v.report_id = ? order by v.number desc limit 1`,
      [reportId],
      'all',
      em.getTransactionContext(),
    );
    if (!row) return null;
    return { id: row.id, number: Number(row.number), status: row.status, protocolStatus: row.protocol_status, protocolCode: row.protocol_code, missing: Number(row.missing) };
  }

  /** Codes of the first `limit` analytes of the version without a value, in report order. */
  async missingCodes(em: EntityManager, versionId: string, limit: number): Promise<string[]> {
    const rows = await em.getConnection().execute(
      `select a.code from result_rows rr join analytes a on a.id = rr.analyte_id
        where rr.version_id = ? and ${MISSING} order by rr.position limit ?`,
      [versionId, limit],
      'all',
      em.getTransactionContext(),
    );
    return rows.map((r: { code: string }) => r.code);
  }

  /** The job that claimed a version now in `finalizing` (null when it moved on meanwhile). */
  async finalizeJob(em: EntityManager, versionId: string): Promise<{ id: string; kind: JobKind; state: JobState } | null> {
    const [row] = await em.getConnection().execute(
      `select j.id, j.kind, j.state from report_versions v join jobs j on j.id = v.finalize_job_id where v.id = ? and v.status = ?`,
      [versionId, ReportVersionStatus.Finalizing],
      'all',
      em.getTransactionContext(),
    );
    return row ?? null;
  }

  /**
   * Moves the version to `finalizing` for the job, only if it is still in the status it was read
   * in, has every result, and its protocol may become reported; true when it did. A new attempt
   * renders what the version says now (a failed one may have been edited since), and lock_version
   * is bumped so that a draft save racing this request fails as stale.
   */
  async claim(em: EntityManager, c: VersionClaim): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    const res = await em.getConnection().execute(
      `update report_versions
          set status = ?, finalize_job_id = ?, signer_id = ?, failure_reason = null, pdf_key = null, pdf_sha256 = null,
              pdf_size = null, verification_code = null, finalized_at = null, lock_version = lock_version + 1, updated_at = ?
        where id = ? and status = ?
          and not exists (select 1 from result_rows rr where rr.version_id = report_versions.id and ${MISSING})
          and exists (select 1 from reports r join protocols p on p.id = r.protocol_id
                       where r.id = report_versions.report_id and p.status in (${c.reportable.map(() => '?').join(', ')}))`,
      [ReportVersionStatus.Finalizing, c.jobId, c.signerId, now, c.versionId, c.from, ...c.reportable],
      'run',
      em.getTransactionContext(),
    );
    return (res as { affectedRows: number }).affectedRows === 1;
  }
}
