import { EntityManager } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { AuditAction, canTransition, NoticeKind, ProtocolStatus, ReportVersionStatus } from '@vetlab/shared';
import { AuditRecord, AuditService } from '../../audit/audit.service';
import { PermanentJobError } from '../../jobs/permanent-job-error';
import { SupersededRunError } from '../../jobs/superseded-run-error';
import { ReportVersion } from '../report-version.entity';
import { writeTransaction } from '../../database/database';
import { NoticesService, WrittenNotice } from '../../notices/notices.service';
import { ProtocolChange } from '../../protocols/protocol-events';
import { ReportVersionsRepository, VersionRun } from './report-versions.repository';

/** What `finalize` did: the protocol's change when it made one (null: an earlier attempt did), and `alongside`'s result. */
export interface FinalizedStatus<T> {
  protocol: ProtocolChange | null;
  alongside: T;
}

/** The status side of finalizing: what moves together in one transaction, and what a failure leaves. */
@Injectable()
export class FinalizeStatusService {
  constructor(
    private readonly em: EntityManager,
    private readonly versions: ReportVersionsRepository,
    private readonly audit: AuditService,
    private readonly notices: NoticesService,
  ) {}

  /**
   * `alongside` runs in the same transaction, after the status (the version's mails: they commit
   * with it, fenced by the same conditional update).
   *
   * The version becomes finalized, the one it replaces superseded, the protocol reported (through
   * the status machine; an amendment's protocol is reported already), with audit entries naming the
   * job, and the clinic's vets' notices (report finalized, or corrected when it replaces a version);
   * only while the run holds the version. Nothing to do when an earlier attempt did it already.
   */
  async finalize<T>(versionId: string, run: VersionRun, actorId: string | null, alongside: (em: EntityManager) => Promise<T>): Promise<FinalizedStatus<T>> {
    const done = await writeTransaction(this.em, async (em): Promise<{ notices: WrittenNotice[]; protocol: ProtocolChange | null; alongside: T }> => {
      if (!(await this.versions.markFinalized(em, versionId, run.token))) {
        if (!(await this.versions.holdsRun(em, versionId, run.token))) throw new SupersededRunError(`a newer run holds the version now`);
        return { notices: [], protocol: null, alongside: await alongside(em) };
      }
      // Plain reads and writes from here: no entity of the version, report or protocol is loaded.
      const v = await this.versions.finalizedFacts(em, versionId);
      const protocol = v.protocol;
      const entries: AuditRecord[] = [];
      const entry = (entity: string, entityId: string, before: object, after: object) =>
        entries.push({ actorId, entity, entityId, action: AuditAction.StatusChange, before: { ...before }, after: { ...after }, jobId: run.jobId });

      const superseded = await this.versions.supersedeBefore(em, v.reportId, v.number);
      for (const number of superseded) {
        entry('report', v.reportId, { versionNumber: number, status: ReportVersionStatus.Finalized }, { versionNumber: number, status: ReportVersionStatus.Superseded, supersededBy: v.number });
      }

      let version = protocol.version;
      const from = protocol.status;
      if (from !== ProtocolStatus.Reported) {
        if (!canTransition(from, ProtocolStatus.Reported)) {
          throw new PermanentJobError(`protocol ${protocol.code} is ${from}: it cannot be reported`);
        }
        if (!(await this.versions.markProtocolReported(em, { id: protocol.id, status: from, version }))) {
          throw new Error(`protocol ${protocol.code} changed while its report was being finalized`);
        }
        version += 1;
        entry('protocol', protocol.id, { status: from }, { status: ProtocolStatus.Reported });
      }

      entry(
        'report',
        v.reportId,
        { versionNumber: v.number, status: ReportVersionStatus.Finalizing },
        { versionNumber: v.number, status: ReportVersionStatus.Finalized, verificationCode: v.verificationCode, pdfSha256: v.pdfSha256 },
      );
      await this.audit.recordMany(em, entries);
      const corrected = v.supersedesNumber != null || superseded.length > 0;
      const notices = await this.notices.forClinic(em, {
        clinicId: protocol.clinicId,
        kind: corrected ? NoticeKind.ReportCorrected : NoticeKind.ReportFinalized,
        protocolId: protocol.id,
        protocolCode: protocol.code,
        reportId: v.reportId,
        versionNumber: v.number,
        dedupeKey: `report_version_finalized:${versionId}`,
      });
      // The protocol's version after this change: what its protocol:updated event carries.
      const change = { protocolId: protocol.id, clinicId: protocol.clinicId, status: ProtocolStatus.Reported, version };
      return { notices, protocol: change, alongside: await alongside(em) };
    });
    this.notices.announce(done.notices);
    return { protocol: done.protocol, alongside: done.alongside };
  }

  /**
   * A finalize job that failed for good leaves its version `finalize_failed` with the reason, so a
   * signer can finalize it again. Runs in the transaction that fails the job record.
   */
  async markFailed(em: EntityManager, versionId: string, jobId: string, reason: string, actorId: string | null): Promise<void> {
    if (!(await this.versions.markFinalizeFailed(em, versionId, jobId, reason))) return;
    const v = await em.findOneOrFail(ReportVersion, { id: versionId }, { fields: ['number', 'report'], disableIdentityMap: true });
    this.audit.record(em, {
      actorId,
      entity: 'report',
      entityId: v.report.id,
      action: AuditAction.StatusChange,
      before: { versionNumber: v.number, status: ReportVersionStatus.Finalizing },
      after: { versionNumber: v.number, status: ReportVersionStatus.FinalizeFailed, reason },
      jobId,
    });
    await em.flush();
  }
}
