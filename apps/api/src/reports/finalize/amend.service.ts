import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, ReportVersionStatus, ReportVersionView } from '@vetlab/shared';
import { AuditService } from '../../audit/audit.service';
import { AuthUser } from '../../auth/auth-user';
import { conflict, notFound } from '../../common/domain-error';
import { toReportVersionView } from '../report-views';
import { ReportVersion } from '../report-version.entity';
import { Report } from '../report.entity';
import { ResultRow } from '../result-row.entity';
import { writeTransaction } from '../../database/database';

/** `POST /api/reports/:id/amend`: a finalized report gets version n+1 as a draft, rows copied. */
@Injectable()
export class AmendService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  /** A concurrent second amend hits the unique (report, number) key and gets a 409. */
  async amend(user: AuthUser, reportId: string): Promise<ReportVersionView> {
    const { draft, rows } = await writeTransaction(this.em, async (em) => {
      // Read-only: the flush below inserts the new version and rows and touches nothing else.
      const latest = await em.findOne(ReportVersion, { report: reportId }, { orderBy: { number: 'desc' }, disableIdentityMap: true });
      if (!latest) throw notFound('report');
      if (latest.status !== ReportVersionStatus.Finalized) {
        throw conflict(
          latest.status === ReportVersionStatus.Superseded
            ? `version ${latest.number} is superseded; reload the report`
            : `version ${latest.number} is still ${latest.status}; finish it before amending the report`,
        );
      }
      const source = await em.find(ResultRow, { version: latest.id }, { populate: ['analyte'], orderBy: { position: 'asc' } });
      const draft = em.create(ReportVersion, {
        report: em.getReference(Report, latest.report.id),
        number: latest.number + 1,
        supersedesNumber: latest.number,
        observations: latest.observations,
      });
      const rows = source.map((r) =>
        em.create(ResultRow, { version: draft, analyte: r.analyte, position: r.position, value: r.value, numericValue: r.numericValue, flag: r.flag, range: r.range }),
      );
      this.audit.record(em, {
        actorId: user.id,
        entity: 'report',
        entityId: reportId,
        action: AuditAction.Create,
        after: { versionNumber: draft.number, status: draft.status, supersedesNumber: latest.number },
      });
      await em.flush();
      return { draft, rows };
    });
    return toReportVersionView(draft, rows);
  }
}
