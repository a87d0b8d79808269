import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, ConflictCode, ReportVersionStatus, ReportVersionView } from '@vetlab/shared';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { writeTransaction } from '../../database/database';
import { openDraftFrom } from '../report-drafts';
import { toReportVersionView } from '../report-views';
import { ReportVersion } from '../report-version.entity';

/** A new draft starts from a finalized latest version, or from an annulled one (a retest started later). */
const AMENDABLE: readonly ReportVersionStatus[] = [ReportVersionStatus.Finalized, ReportVersionStatus.Invalidated];

/**
 * `POST /api/reports/:id/amend` { reason }: a finalized report gets version n+1 as a draft, rows
 * copied, with the reason it corrects version n (printed on its PDF once finalized, and audited).
 */
@Injectable()
export class AmendService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  /** A concurrent second amend hits the unique (report, number) key and gets a 409. */
  async amend(user: AuthUser, reportId: string, reason: string): Promise<ReportVersionView> {
    const { draft, rows } = await writeTransaction(this.em, async (em) => {
      // Read-only: the flush below inserts the new version and rows and touches nothing else.
      const latest = await em.findOne(ReportVersion, { report: reportId }, { orderBy: { number: 'desc' }, disableIdentityMap: true });
      if (!latest) throw notFound('report');
      if (!AMENDABLE.includes(latest.status)) throw notAmendable(latest);
      const opened = await openDraftFrom(em, latest, { number: latest.number + 1, reason });
      this.audit.record(em, {
        actorId: user.id,
        entity: 'report',
        entityId: reportId,
        action: AuditAction.Amend,
        before: { versionNumber: latest.number, status: latest.status },
        after: { versionNumber: opened.draft.number, status: opened.draft.status, supersedesNumber: latest.number, reason },
      });
      await em.flush();
      return opened;
    });
    return toReportVersionView(draft, rows);
  }
}

/** Why no new draft can start from the report's latest version. */
export function notAmendable(latest: Pick<ReportVersion, 'number' | 'status'>) {
  const why =
    latest.status === ReportVersionStatus.Superseded
      ? `version ${latest.number} is superseded; reload the report`
      : `version ${latest.number} is still ${latest.status}; finish it before amending the report`;
  return conflict(why, ConflictCode.ReportNotAmendable);
}
