import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import {
  ANNULLABLE_VERSION_STATUSES,
  AnnulReportVersionAccepted,
  AnnulReportVersionRequest,
  AuditAction,
  ConflictCode,
  JobKind,
  NoticeKind,
  ReportJobData,
  ReportVersionStatus,
} from '@vetlab/shared';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { writeTransaction } from '../../database/database';
import { JobQueues } from '../../jobs/job-queues.service';
import { JobsService } from '../../jobs/jobs.service';
import { NoticesService } from '../../notices/notices.service';
import { canSeeClinic } from '../../protocols/protocol-access';
import { openDraftFrom } from '../report-drafts';
import { toReportVersionView } from '../report-views';
import { ReportVersion } from '../report-version.entity';
import { notAmendable } from './amend.service';
import { ReportVersionsRepository } from './report-versions.repository';

export type AnnulReportVersionDto = z.output<typeof AnnulReportVersionRequest>;

/**
 * `POST /api/reports/:id/versions/:n/annul` { reason, retest? }: a signer annuls a released
 * version. One transaction moves it to `invalidated` (a conditional update: of two requests one
 * annuls, the other gets REPORT_VERSION_ALREADY_ANNULLED), records the job that renders its PDF
 * stamped ANULADO / VOID and then mails the clinic, the audit entry with the reason, the clinic's
 * vets' notices (report_annulled, sent live after the commit) and, with `retest`, a new draft
 * copied from it. Then the job is enqueued; the answer is a 202.
 */
@Injectable()
export class AnnulService {
  constructor(
    private readonly em: EntityManager,
    private readonly versions: ReportVersionsRepository,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
    private readonly queues: JobQueues,
    private readonly notices: NoticesService,
  ) {}

  async annul(user: AuthUser, reportId: string, number: number, dto: AnnulReportVersionDto): Promise<AnnulReportVersionAccepted> {
    this.queues.assertReady(); // Redis away: 503 before anything is annulled
    const done = await writeTransaction(this.em, async (tx) => {
      await this.versions.lockForClaim(tx);
      const v = await tx.findOne(ReportVersion, { report: reportId, number }, { populate: ['report.protocol', 'signer'], disableIdentityMap: true });
      if (!v || !canSeeClinic(user, v.report.protocol.clinic.id)) throw notFound('report version');
      if (v.status === ReportVersionStatus.Invalidated) {
        throw conflict(`version ${number} of this report is annulled already`, ConflictCode.ReportVersionAlreadyAnnulled);
      }
      if (!ANNULLABLE_VERSION_STATUSES.includes(v.status)) {
        throw conflict(`version ${number} of this report is ${v.status}; only a finalized version can be annulled`, ConflictCode.ReportVersionNotAnnullable);
      }
      // A retest starts from the annulled version, so it must be the report's latest.
      const latest = dto.retest ? await tx.findOne(ReportVersion, { report: reportId }, { orderBy: { number: 'desc' }, disableIdentityMap: true }) : null;
      if (latest && latest.number !== v.number) throw notAmendable(latest);

      const jobId = randomUUID();
      const at = new Date();
      if (!(await this.versions.annul(tx, { versionId: v.id, from: v.status, userId: user.id, reason: dto.reason, jobId, at }))) {
        throw conflict(`version ${number} of this report changed meanwhile; reload it`, ConflictCode.ReportVersionAlreadyAnnulled);
      }
      const from = v.status;
      // Not managed (read without the identity map): the flush below writes only the job, audit and draft.
      Object.assign(v, { status: ReportVersionStatus.Invalidated, invalidatedAt: at, invalidationReason: dto.reason, renderJobId: jobId });
      const data: ReportJobData = { reportId, versionId: v.id, version: v.number };
      const job = await this.jobs.create(tx, { id: jobId, kind: JobKind.ReportPdf, subject: { type: 'report', id: reportId }, createdById: user.id, payload: data });
      const retest = dto.retest ? await openDraftFrom(tx, v, { number: v.number + 1, reason: dto.reason }) : null;
      this.audit.record(tx, {
        actorId: user.id,
        entity: 'report',
        entityId: reportId,
        action: AuditAction.Annul,
        before: { versionNumber: v.number, status: from },
        after: { versionNumber: v.number, status: ReportVersionStatus.Invalidated, reason: dto.reason, retestVersion: retest?.draft.number ?? null },
        jobId,
      });
      await tx.flush();
      const protocol = v.report.protocol;
      const notices = await this.notices.forClinic(tx, {
        clinicId: protocol.clinic.id,
        kind: NoticeKind.ReportAnnulled,
        protocolId: protocol.id,
        protocolCode: protocol.code,
        reportId,
        versionNumber: v.number,
        reason: dto.reason,
        dedupeKey: `report_version_annulled:${v.id}`,
      });
      return { job, data, v, retest: retest?.draft.number ?? null, notices };
    });
    this.notices.announce(done.notices);
    await this.queues.add(JobKind.ReportPdf, done.job.id, done.data);
    const view = toReportVersionView(done.v, []);
    return { jobId: done.job.id, kind: done.job.kind, state: done.job.state, reportId, version: { ...view, invalidatedBy: { id: user.id, name: user.name } }, retestVersion: done.retest };
  }
}
