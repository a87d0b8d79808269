import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import {
  ACTIVE_JOB_STATES,
  AuditAction,
  canTransition,
  EDITABLE_VERSION_STATUSES,
  FinalizeAccepted,
  JobKind,
  JobState,
  ProtocolStatus,
  ReportJobData,
  ReportVersionStatus,
} from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { writeTransaction } from '../../database/database';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobsService } from '../../jobs/jobs.service';
import { LatestVersion, ReportVersionsRepository } from './report-versions.repository';

/** Protocol statuses whose report may be finalized: reported already (an amendment), or able to become it (a retried finalize claims with them too). */
export const REPORTABLE = Object.values(ProtocolStatus).filter((s) => s === ProtocolStatus.Reported || canTransition(s, ProtocolStatus.Reported));
const MISSING_NAMED = 10;

type Claimed = { job: { id: string; kind: JobKind; state: JobState }; data: ReportJobData };

/**
 * `POST /api/reports/:id/finalize`: validate, claim the version, record the job, enqueue, answer.
 * Nothing heavy here: the work is the job's.
 *
 * One transaction reads the latest version, then claims it with a conditional update that repeats
 * the read's checks, and records the job and the audit entry (plain statements, no unit of work to
 * flush). Idempotent in the database: of two concurrent requests one claims the version and the
 * other answers with the same job.
 */
@Injectable()
export class FinalizeRequestService {
  constructor(
    private readonly em: EntityManager,
    private readonly versions: ReportVersionsRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly queues: JobQueues,
  ) {}

  async finalize(user: AuthUser, reportId: string): Promise<FinalizeAccepted> {
    this.queues.assertReady(); // Redis away: 503 before anything is claimed
    const { job, data } = await this.claim(user, reportId);
    // After commit: the worker must find the version claimed. Re-adding an unfinished job heals a
    // crash between an earlier commit and its enqueue (Bull ignores an id it already has).
    if (ACTIVE_JOB_STATES.includes(job.state)) await this.queues.add(JobKind.FinalizeReport, job.id, data);
    return { jobId: job.id, kind: job.kind, state: job.state, reportId };
  }

  /** The version claimed for a new job, or the job that already claimed it; refusals are thrown. */
  claim(user: AuthUser, reportId: string): Promise<Claimed> {
    return writeTransaction(this.em, async (tx) => {
      await this.versions.lockForClaim(tx);
      return this.claimIn(tx, user, reportId);
    });
  }

  private async claimIn(tx: EntityManager, user: AuthUser, reportId: string, retried = false): Promise<Claimed> {
    const version = await this.versions.latestVersion(tx, reportId);
    if (!version) throw notFound('report');
    const data: ReportJobData = { reportId, versionId: version.id, version: version.number };
    if (version.status === ReportVersionStatus.Finalizing) {
      const job = await this.versions.finalizeJob(tx, version.id);
      if (!job) throw conflict(`version ${version.number} of this report changed meanwhile; reload it`);
      return { job, data };
    }
    await this.assertFinalizable(tx, version);

    const jobId = randomUUID();
    if (!(await this.versions.claim(tx, { versionId: version.id, from: version.status, jobId, signerId: user.id, reportable: REPORTABLE }))) {
      // Someone moved the version since we read it (a concurrent finalize, an edit): look again once.
      if (retried) throw conflict(`version ${version.number} of this report changed meanwhile; reload it`);
      return this.claimIn(tx, user, reportId, true);
    }
    const job = await this.jobs.create(tx, { id: jobId, kind: JobKind.FinalizeReport, subject: { type: 'report', id: reportId }, createdById: user.id, payload: data });
    await this.audit.recordMany(tx, [
      {
        actorId: user.id,
        entity: 'report',
        entityId: reportId,
        action: AuditAction.StatusChange,
        before: { versionNumber: version.number, status: version.status },
        after: { versionNumber: version.number, status: ReportVersionStatus.Finalizing },
        jobId,
      },
    ]);
    return { job, data };
  }

  /** A finalizable status, every result, and a protocol that may become reported (an amendment's already is). */
  private async assertFinalizable(tx: EntityManager, version: LatestVersion) {
    if (!EDITABLE_VERSION_STATUSES.includes(version.status)) {
      throw conflict(`version ${version.number} of this report is already ${version.status}; amend the report to change it`);
    }
    if (version.missing > 0) {
      const missing = await this.versions.missingCodes(tx, version.id, MISSING_NAMED + 1);
      const names = missing.slice(0, MISSING_NAMED).join(', ');
      throw conflict(`every result needs a value before finalizing; missing: ${names}${missing.length > MISSING_NAMED ? ', …' : ''}`);
    }
    if (!REPORTABLE.includes(version.protocolStatus)) {
      throw conflict(`protocol ${version.protocolCode} is ${version.protocolStatus}; its report can be finalized once the protocol is in analysis`);
    }
  }
}
