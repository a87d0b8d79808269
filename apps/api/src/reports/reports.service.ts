import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { writeTransaction } from '../database/database';
import { Injectable } from '@nestjs/common';
import { AuditAction, EDITABLE_VERSION_STATUSES, RELEASED_VERSION_STATUSES, ReportVersionView, ReportView, Role, UpdateResultsRequest } from '@vetlab/shared';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { conflict, notFound, stale } from '../common/domain-error';
import { canSeeClinic } from '../protocols/protocol-access';
import { planResultEdits } from './result-edits';
import { supersededBy, toReportVersionView } from './report-views';
import { ReportVersion } from './report-version.entity';
import { Report } from './report.entity';
import { ResultRow } from './result-row.entity';

export type UpdateResultsDto = z.output<typeof UpdateResultsRequest>;

/** What a vet may ever receive: drafts (and versions being finalized) never leave the server. */

@Injectable()
export class ReportsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  view(user: AuthUser, id: string): Promise<ReportView> {
    return this.viewWhere(user, { id });
  }

  viewByProtocol(user: AuthUser, protocolId: string): Promise<ReportView> {
    return this.viewWhere(user, { protocol: protocolId });
  }

  /**
   * Edits the current draft's rows and observations. The version's lockVersion is the optimistic
   * lock and is bumped by every save, rows-only ones included (the version entity is touched).
   */
  async updateDraft(user: AuthUser, reportId: string, dto: UpdateResultsDto): Promise<ReportVersionView> {
    const { version, rows } = await writeTransaction(this.em, async (em) => {
      const report = await this.loadReport(em, user, { id: reportId });
      const version = await em.findOne(ReportVersion, { report: report.id }, { orderBy: { number: 'desc' }, populate: ['signer', 'invalidatedBy'] });
      if (!version || !EDITABLE_VERSION_STATUSES.includes(version.status)) throw conflict('no editable draft: the current version is not a draft');
      if (dto.lockVersion !== version.lockVersion) throw stale('report draft');
      const rows = await em.find(ResultRow, { version: version.id }, { populate: ['analyte'], orderBy: { position: 'asc' } });
      const changes = planResultEdits(rows, dto.results);
  
      const before: Record<string, unknown> = {};
      const after: Record<string, unknown> = {};
      if (changes.length) {
        before.rows = changes.map((c) => ({ rowId: c.row.id, code: c.row.analyte.code, value: c.row.value, flag: c.row.flag }));
        after.rows = changes.map((c) => ({ rowId: c.row.id, code: c.row.analyte.code, value: c.fields.value, flag: c.fields.flag }));
        for (const c of changes) Object.assign(c.row, c.fields);
      }
      const observations = dto.observations === undefined ? undefined : dto.observations || null;
      if (observations !== undefined && observations !== version.observations) {
        before.observations = version.observations;
        after.observations = observations;
        version.observations = observations;
      }
      version.updatedAt = new Date();
      if (Object.keys(after).length) {
        this.audit.record(em, {
          actorId: user.id,
          entity: 'report',
          entityId: report.id,
          action: AuditAction.ResultEdit,
          before: { versionNumber: version.number, ...before },
          after: { versionNumber: version.number, ...after },
        });
      }
      await em.flush();
      return { version, rows };
    });
    return toReportVersionView(version, rows);
  }

  private async viewWhere(user: AuthUser, where: FilterQuery<Report>): Promise<ReportView> {
    const report = await this.loadReport(this.em, user, where);
    const vet = user.role === Role.Vet;
    const versions = await this.em.find(
      ReportVersion,
      { report: report.id, ...(vet ? { status: { $in: [...RELEASED_VERSION_STATUSES] } } : {}) },
      { populate: ['signer', 'invalidatedBy'], orderBy: { number: 'desc' } },
    );
    const rows = versions.length
      ? await this.em.find(ResultRow, { version: { $in: versions.map((v) => v.id) } }, { populate: ['analyte'], orderBy: { position: 'asc' } })
      : [];
    const rowsOf = new Map<string, ResultRow[]>(versions.map((v) => [v.id, []]));
    for (const r of rows) rowsOf.get(r.version.id)?.push(r);
    const replacedBy = supersededBy(versions);
    return {
      id: report.id,
      protocolId: report.protocol.id,
      protocolCode: report.protocol.code,
      versions: versions.map((v) => toReportVersionView(v, rowsOf.get(v.id) ?? [], replacedBy.get(v.number) ?? null)),
    };
  }

  /** Another clinic's report is "not found" for a vet, exactly like a missing one. */
  private async loadReport(em: EntityManager, user: AuthUser, where: FilterQuery<Report>): Promise<Report> {
    const report = await em.findOne(Report, where, { populate: ['protocol'] });
    if (!report || !canSeeClinic(user, report.protocol.clinic.id)) throw notFound('report');
    return report;
  }
}
