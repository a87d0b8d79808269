import { EntityManager, raw } from '@mikro-orm/core';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { executeUpdate, isDatabaseBusy, readDate, readInt, selectRows, SQLITE_BUSY_TIMEOUT_MS } from '../../database/database';
import { JobKind, JobState, ProtocolStatus, ReferenceRange, RELEASED_VERSION_STATUSES, ReportLanguage, ReportVersionStatus, ResultFlag } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { ReportVersion } from '../report-version.entity';
import type { ReportContentSource } from './report-pdf-content';

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

/** The job whose run is starting: the version's finalize job, or its PDF render job. */
export type VersionJob = { finalizeJobId: string } | { renderJobId: string };

/** One run of a version's job: the job (for the audit) and the token it holds the version with. */
export interface VersionRun {
  jobId: string;
  token: string;
}

/** What the stored PDF's checkpoint records on the version. */
export interface PdfCheckpoint {
  pdfKey: string;
  pdfSha256: string;
  pdfSize: number;
  verificationCode: string;
}

/**
 * A version as its job's run reads it: its own columns, its signer, and its report's protocol with
 * the clinic and vet (what the PDF prints and whom the mails go to). Plain values, read in one
 * query: every run reads it, and six entities through the unit of work cost more than the query.
 */
export interface VersionForRun {
  id: string;
  reportId: string;
  number: number;
  status: ReportVersionStatus;
  observations: string | null;
  signatureKey: string | null;
  finalizedAt: Date | null;
  supersedesNumber: number | null;
  amendReason: string | null;
  invalidatedAt: Date | null;
  invalidationReason: string | null;
  renderJobId: string | null;
  pdfKey: string | null;
  pdfSha256: string | null;
  pdfSize: number | null;
  verificationCode: string | null;
  voidPdfKey: string | null;
  voidPdfSha256: string | null;
  voidPdfSize: number | null;
  signer: { id: string; name: string } | null;
  protocol: ReportContentSource['protocol'];
  clinic: { name: string; reportLanguage: ReportLanguage; resultEmails: string[] };
  vet: { name: string; email: string } | null;
}

/** What the finalize transaction reads of a version it just finalized, and of its protocol. */
export interface FinalizedFacts {
  number: number;
  supersedesNumber: number | null;
  verificationCode: string | null;
  pdfSha256: string | null;
  reportId: string;
  protocol: { id: string; code: string; status: ProtocolStatus; clinicId: string; version: number };
}

/** Statuses a finalize job's run may hold its version in: still finalizing, or past it (the mails may remain). */
const FINALIZE_RUN_STATUSES = [ReportVersionStatus.Finalizing, ...RELEASED_VERSION_STATUSES];

/**
 * Every write to `report_versions` on the way from a draft to a released PDF: the finalize
 * request's claim (and the reads that decide it), each job run's token, the PDF checkpoint, the
 * status changes, a failure, and the claim of a render job. Draft edits and amendments stay with
 * the ORM's unit of work in reports.service and amend.service. Every statement runs in the
 * caller's `em` (its transaction, when it has one).
 */
@Injectable()
export class ReportVersionsRepository {
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

  /** The version as its run reads it (VersionForRun); null when it no longer exists. */
  async forRun(em: EntityManager, versionId: string): Promise<VersionForRun | null> {
    const [row] = await selectRows(
      em,
      `select v.id, v.report_id, v.number, v.status, v.observations, v.signature_key, v.finalized_at, v.supersedes_number, v.amend_reason, v.invalidated_at,
              v.invalidation_reason, v.render_job_id, v.pdf_key, v.pdf_sha256, v.pdf_size, v.verification_code, v.void_pdf_key, v.void_pdf_sha256, v.void_pdf_size,
              s.id as signer_id, s.name as signer_name,
              p.code, p.received_at, p.created_at, p.animal_name, p.species, p.breed, p.sex, p.age_months, p.owner_name,
              c.name as clinic_name, c.report_language, c.result_emails, vu.name as vet_name, vu.email as vet_email
         from report_versions v join reports r on r.id = v.report_id join protocols p on p.id = r.protocol_id join clinics c on c.id = p.clinic_id
              left join users s on s.id = v.signer_id left join users vu on vu.id = p.vet_id
        where v.id = ?`,
      [versionId],
    );
    if (!row) return null;
    const emails: unknown = row.result_emails;
    return {
      id: row.id,
      reportId: row.report_id,
      number: Number(row.number),
      status: row.status,
      observations: row.observations ?? null,
      signatureKey: row.signature_key ?? null,
      finalizedAt: readDate(em, row.finalized_at),
      supersedesNumber: readInt(row.supersedes_number),
      amendReason: row.amend_reason ?? null,
      invalidatedAt: readDate(em, row.invalidated_at),
      invalidationReason: row.invalidation_reason ?? null,
      renderJobId: row.render_job_id ?? null,
      pdfKey: row.pdf_key ?? null,
      pdfSha256: row.pdf_sha256 ?? null,
      pdfSize: readInt(row.pdf_size),
      verificationCode: row.verification_code ?? null,
      voidPdfKey: row.void_pdf_key ?? null,
      voidPdfSha256: row.void_pdf_sha256 ?? null,
      voidPdfSize: readInt(row.void_pdf_size),
      signer: row.signer_id ? { id: row.signer_id, name: row.signer_name } : null,
      protocol: {
        code: row.code,
        receivedAt: readDate(em, row.received_at),
        createdAt: readDate(em, row.created_at)!,
        animalName: row.animal_name,
        species: row.species,
        breed: row.breed ?? null,
        sex: row.sex,
        ageMonths: readInt(row.age_months),
        ownerName: row.owner_name,
      },
      // A JSON column: PostgreSQL's driver parses it, SQLite's hands over the text.
      clinic: { name: row.clinic_name, reportLanguage: row.report_language, resultEmails: typeof emails === 'string' ? JSON.parse(emails) : ((emails as string[] | null) ?? []) },
      vet: row.vet_email ? { name: row.vet_name, email: row.vet_email } : null,
    };
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

  /**
   * A version's result rows as its PDF prints them, in print order: one query and plain rows (a
   * render job reads them for every report; entities for hundreds of rows and their analytes cost
   * the worker more CPU than the query).
   */
  async printedRows(em: EntityManager, versionId: string): Promise<ReportContentSource['rows']> {
    const rows: { code: string; name: string; section: string; unit: string | null; value: string | null; flag: ResultFlag | null; range: string | ReferenceRange | null }[] =
      await em.getConnection().execute(
        `select a.code, a.name, a.section, a.unit, rr.value, rr.flag, rr.range
           from result_rows rr join analytes a on a.id = rr.analyte_id
          where rr.version_id = ? order by rr.position`,
        [versionId],
        'all',
        em.getTransactionContext(),
      );
    // PostgreSQL's driver parses the json column; SQLite hands it over as text.
    return rows.map((r) => ({ ...r, range: typeof r.range === 'string' ? (JSON.parse(r.range) as ReferenceRange) : r.range }));
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
   * is bumped so that a draft save racing this request fails as stale. The date it is finalized at
   * (like the signer and the signer's signature image) is fixed here, so every run of its job, and
   * every later render of the version, prints the same content and code.
   */
  async claim(em: EntityManager, c: VersionClaim): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    const changed = await executeUpdate(
      em,
      `update report_versions
          set status = ?, finalize_job_id = ?, signer_id = ?, signature_key = (select u.signature_key from users u where u.id = ?), failure_reason = null, pdf_key = null, pdf_sha256 = null,
              pdf_size = null, verification_code = null, finalized_at = ?, run_token = null, lock_version = lock_version + 1, updated_at = ?
        where id = ? and status = ?
          and not exists (select 1 from result_rows rr where rr.version_id = report_versions.id and ${MISSING})
          and exists (select 1 from reports r join protocols p on p.id = r.protocol_id
                       where r.id = report_versions.report_id and p.status in (${c.reportable.map(() => '?').join(', ')}))`,
      [ReportVersionStatus.Finalizing, c.jobId, c.signerId, c.signerId, now, now, c.versionId, c.from, ...c.reportable],
    );
    return changed === 1;
  }

  /**
   * A run of the version's job starts: it takes a fresh token, while the version still belongs to
   * that job (finalize: finalizing or released since; render: released). Null when it does not.
   * A version claimed before finalized-at was fixed at the claim gets it now, once.
   */
  async startRun(em: EntityManager, versionId: string, job: VersionJob): Promise<string | null> {
    const token = randomUUID();
    const [jobColumn, jobId] = 'finalizeJobId' in job ? ['finalize_job_id', job.finalizeJobId] : ['render_job_id', job.renderJobId];
    const statuses = 'finalizeJobId' in job ? FINALIZE_RUN_STATUSES : RELEASED_VERSION_STATUSES;
    const now = em.getPlatform().processDateProperty(new Date());
    // Plain SQL with bound values on every run's path (the query builder costs the worker more CPU than the statement).
    const changed = await executeUpdate(
      em,
      `update report_versions set run_token = ?, finalized_at = coalesce(finalized_at, ?)
        where id = ? and ${jobColumn} = ? and status in (${statuses.map(() => '?').join(', ')})`,
      [token, now, versionId, jobId, ...statuses],
    );
    return changed ? token : null;
  }

  /** Whether the run with this token still holds the version (no newer run has started). */
  async holdsRun(em: EntityManager, versionId: string, token: string): Promise<boolean> {
    // SQL, not em.count: that would first flush whatever the caller changed on its loaded entities.
    const rows = await em.getConnection().execute('select 1 from report_versions where id = ? and run_token = ?', [versionId, token], 'all', em.getTransactionContext());
    return rows.length === 1;
  }

  /** Records the stored PDF, only for the run holding the version; false when a newer run does. */
  async checkpointPdf(em: EntityManager, versionId: string, token: string, pdf: PdfCheckpoint): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    const changed = await executeUpdate(
      em,
      'update report_versions set pdf_key = ?, pdf_sha256 = ?, pdf_size = ?, verification_code = ?, updated_at = ? where id = ? and run_token = ?',
      [pdf.pdfKey, pdf.pdfSha256, pdf.pdfSize, pdf.verificationCode, now, versionId, token],
    );
    return changed === 1;
  }

  /** `finalizing` → `finalized`, only for the run holding the version; false otherwise. */
  async markFinalized(em: EntityManager, versionId: string, token: string): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    const changed = await executeUpdate(
      em,
      'update report_versions set status = ?, failure_reason = null, updated_at = ? where id = ? and run_token = ? and status = ?',
      [ReportVersionStatus.Finalized, now, versionId, token, ReportVersionStatus.Finalizing],
    );
    return changed === 1;
  }

  /** The version's facts and its protocol's, read in the caller's transaction after markFinalized (FinalizedFacts). */
  async finalizedFacts(em: EntityManager, versionId: string): Promise<FinalizedFacts> {
    const [row] = await selectRows(
      em,
      `select v.number, v.supersedes_number, v.verification_code, v.pdf_sha256, v.report_id, p.id as protocol_id, p.code, p.status, p.clinic_id, p.version
         from report_versions v join reports r on r.id = v.report_id join protocols p on p.id = r.protocol_id
        where v.id = ?`,
      [versionId],
    );
    if (!row) throw new Error(`version ${versionId} is gone`);
    return {
      number: Number(row.number),
      supersedesNumber: readInt(row.supersedes_number),
      verificationCode: row.verification_code ?? null,
      pdfSha256: row.pdf_sha256 ?? null,
      reportId: row.report_id,
      protocol: { id: row.protocol_id, code: row.code, status: row.status, clinicId: row.clinic_id, version: Number(row.version) },
    };
  }

  /**
   * The version's protocol becomes reported, only from the status and version just read (the
   * optimistic lock a flush would check); false when it changed meanwhile. Plain SQL: every first
   * version's finalize runs it in its status transaction.
   */
  async markProtocolReported(em: EntityManager, protocol: { id: string; status: ProtocolStatus; version: number }): Promise<boolean> {
    const now = em.getPlatform().processDateProperty(new Date());
    const changed = await executeUpdate(em, 'update protocols set status = ?, version = version + 1, updated_at = ? where id = ? and status = ? and version = ?', [
      ProtocolStatus.Reported,
      now,
      protocol.id,
      protocol.status,
      protocol.version,
    ]);
    return changed === 1;
  }

  /** The report's finalized versions before `number` become superseded; returns their numbers. */
  async supersedeBefore(em: EntityManager, reportId: string, number: number): Promise<number[]> {
    // A report's first version has nothing before it (numbers start at 1).
    if (number <= 1) return [];
    const where = { report: reportId, status: ReportVersionStatus.Finalized, number: { $lt: number } };
    const earlier = await em.find(ReportVersion, where, { fields: ['number'], disableIdentityMap: true });
    if (earlier.length) await em.nativeUpdate(ReportVersion, where, { status: ReportVersionStatus.Superseded, updatedAt: new Date() });
    return earlier.map((e) => e.number);
  }

  /**
   * A finalize job that failed for good: its version, if still finalizing for it, becomes
   * `finalize_failed` with the reason and editable again (no date, no run). True when it changed.
   */
  async markFinalizeFailed(em: EntityManager, versionId: string, jobId: string, reason: string): Promise<boolean> {
    const changed = await em.nativeUpdate(
      ReportVersion,
      { id: versionId, finalizeJobId: jobId, status: ReportVersionStatus.Finalizing },
      { status: ReportVersionStatus.FinalizeFailed, failureReason: reason, finalizedAt: null, runToken: null, lockVersion: raw('lock_version + 1'), updatedAt: new Date() },
    );
    return changed === 1;
  }

  /**
   * Annuls a released version, only if it is still in the status it was read in: `invalidated`
   * with when, by whom and why, its render slot given to the job that renders the VOID PDF, and
   * any run of an earlier job fenced off (no token). False when someone moved it meanwhile.
   */
  async annul(em: EntityManager, a: { versionId: string; from: ReportVersionStatus; userId: string; reason: string; jobId: string; at: Date }): Promise<boolean> {
    const changed = await em.nativeUpdate(
      ReportVersion,
      { id: a.versionId, status: a.from },
      {
        status: ReportVersionStatus.Invalidated,
        invalidatedAt: a.at,
        invalidatedBy: a.userId,
        invalidationReason: a.reason,
        renderJobId: a.jobId,
        runToken: null,
        voidPdfKey: null,
        voidPdfSha256: null,
        voidPdfSize: null,
        updatedAt: a.at,
      },
    );
    return changed === 1;
  }

  /** Records the stored VOID PDF of an annulled version, only for the run holding it. */
  async checkpointVoidPdf(em: EntityManager, versionId: string, token: string, pdf: { voidPdfKey: string; voidPdfSha256: string; voidPdfSize: number }): Promise<boolean> {
    return (await em.nativeUpdate(ReportVersion, { id: versionId, runToken: token, status: ReportVersionStatus.Invalidated }, { ...pdf, updatedAt: new Date() })) === 1;
  }

  /**
   * Gives the version's render slot to a new job, only if it still has the job and the files the
   * caller saw; false when another caller took it, or when the job the caller saw stored the file
   * meanwhile (read just before its checkpoint, found finished just after it).
   */
  async claimRenderJob(em: EntityManager, seen: Pick<ReportVersion, 'id' | 'renderJobId' | 'pdfKey' | 'voidPdfKey'>, jobId: string): Promise<boolean> {
    const where = { id: seen.id, renderJobId: seen.renderJobId, pdfKey: seen.pdfKey, voidPdfKey: seen.voidPdfKey };
    return (await em.nativeUpdate(ReportVersion, where, { renderJobId: jobId })) === 1;
  }
}
