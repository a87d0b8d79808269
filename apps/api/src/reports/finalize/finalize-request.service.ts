import { EntityManager, raw } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { ACTIVE_JOB_STATES, AuditAction, canTransition, FinalizeAccepted, JobKind, ProtocolStatus, ReportVersionStatus } from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { JobRecord } from '../../jobs/job.entity';
import { JobsService } from '../../jobs/jobs.service';
import { ReportJobName } from '../../jobs/queues';
import { ReportVersion } from '../report-version.entity';
import { ResultRow } from '../result-row.entity';
import { ReportJobData } from './interfaces/report-job.interface';
import { ReportQueueService } from './report-queue.service';
import { withBusyRetry } from '../../database/database';

const FINALIZABLE: ReportVersionStatus[] = [ReportVersionStatus.Draft, ReportVersionStatus.FinalizeFailed];
const MISSING_NAMED = 10;

/**
 * `POST /api/reports/:id/finalize`: validate, claim the version, record the job, enqueue, answer.
 * Nothing heavy here (no render, no row loading beyond the incomplete ones): the work is the job's.
 */
@Injectable()
export class FinalizeRequestService {
  constructor(
    private readonly em: EntityManager,
    private readonly jobs: JobsService,
    private readonly queue: ReportQueueService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Idempotent in the database: the version moves to `finalizing` with a conditional UPDATE, so of
   * two concurrent requests one claims it and the other answers with the same job.
   */
  async finalize(user: AuthUser, reportId: string): Promise<FinalizeAccepted> {
    const { job, data } = await withBusyRetry(() => this.em.fork().transactional((em) => this.claim(em, user, reportId)));
    // After commit: the worker must find the version claimed. Re-adding an unfinished job heals a
    // crash between an earlier commit and its enqueue (Bull ignores an id it already has).
    if (ACTIVE_JOB_STATES.includes(job.state)) await this.queue.add(ReportJobName.Finalize, job.id, data);
    return { jobId: job.id, kind: job.kind, state: job.state, reportId };
  }

  private async claim(em: EntityManager, user: AuthUser, reportId: string): Promise<{ job: JobRecord; data: ReportJobData }> {
    // Read-only (unmanaged): the flush below must insert the job and audit entry and touch nothing else.
    const version = await em.findOne(ReportVersion, { report: reportId }, { orderBy: { number: 'desc' }, populate: ['report.protocol'], disableIdentityMap: true });
    if (!version) throw notFound('report');
    const data: ReportJobData = { reportId, versionId: version.id, version: version.number };
    if (version.status === ReportVersionStatus.Finalizing) return { job: await this.currentJob(em, version.id), data };
    if (!FINALIZABLE.includes(version.status)) {
      throw conflict(`version ${version.number} of this report is already ${version.status}; amend the report to change it`);
    }
    await this.assertFinalizable(em, version);

    const jobId = randomUUID();
    const claimed = await em.nativeUpdate(
      ReportVersion,
      { id: version.id, status: { $in: FINALIZABLE } },
      {
        status: ReportVersionStatus.Finalizing,
        finalizeJobId: jobId,
        signer: user.id,
        failureReason: null,
        // A new attempt renders what the version says now (a failed one may have been edited since).
        pdfKey: null,
        pdfSha256: null,
        pdfSize: null,
        verificationCode: null,
        finalizedAt: null,
        // Bumped so that a draft save racing this request fails as stale instead of editing rows.
        lockVersion: raw('lock_version + 1'),
        updatedAt: new Date(),
      },
    );
    if (!claimed) return { job: await this.currentJob(em, version.id), data };

    const job = this.jobs.create(em, { id: jobId, kind: JobKind.FinalizeReport, subject: { type: 'report', id: reportId }, createdById: user.id, payload: data });
    this.audit.record(em, {
      actorId: user.id,
      entity: 'report',
      entityId: reportId,
      action: AuditAction.StatusChange,
      before: { versionNumber: version.number, status: version.status },
      after: { versionNumber: version.number, status: ReportVersionStatus.Finalizing },
      jobId,
    });
    await em.flush();
    return { job, data };
  }

  /** Every result filled in, and a protocol that may become reported (an amendment's already is). */
  private async assertFinalizable(em: EntityManager, version: ReportVersion) {
    const missing = await em.find(
      ResultRow,
      { version: version.id, $or: [{ value: null }, { value: '' }] },
      { populate: ['analyte'], orderBy: { position: 'asc' }, limit: MISSING_NAMED + 1, disableIdentityMap: true },
    );
    if (missing.length) {
      const names = missing.slice(0, MISSING_NAMED).map((r) => r.analyte.code).join(', ');
      throw conflict(`every result needs a value before finalizing; missing: ${names}${missing.length > MISSING_NAMED ? ', …' : ''}`);
    }
    const protocol = version.report.protocol;
    if (protocol.status !== ProtocolStatus.Reported && !canTransition(protocol.status, ProtocolStatus.Reported)) {
      throw conflict(`protocol ${protocol.code} is ${protocol.status}; its report can be finalized once the protocol is in analysis`);
    }
  }

  /** The job that claimed the version (another request's, committed before our UPDATE ran). */
  private async currentJob(em: EntityManager, versionId: string): Promise<JobRecord> {
    const current = await em.findOne(ReportVersion, { id: versionId }, { disableIdentityMap: true });
    const job = current?.finalizeJobId ? await em.findOne(JobRecord, { id: current.finalizeJobId }) : null;
    if (current?.status !== ReportVersionStatus.Finalizing || !job) {
      throw conflict(`version ${current?.number ?? ''} of this report changed meanwhile (${current?.status ?? 'gone'}); reload it`);
    }
    return job;
  }
}
