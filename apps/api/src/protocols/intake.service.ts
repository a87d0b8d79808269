import { EntityManager } from '@mikro-orm/core';
import { writeTransaction } from '../database/database';
import { Injectable } from '@nestjs/common';
import { AuditAction, CreateProtocolRequest, FieldErrorCode, ProtocolDetail, Role } from '@vetlab/shared';
import { z } from 'zod';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { Panel } from '../catalogue/panel.entity';
import { Clinic } from '../clinics/clinic.entity';
import { invalid, invalidFields } from '../common/domain-error';
import { RealtimeService } from '../realtime/realtime.service';
import { ReportVersion } from '../reports/report-version.entity';
import { Report } from '../reports/report.entity';
import { ResultRow } from '../reports/result-row.entity';
import { rangeFor } from '../reports/result-values';
import { User } from '../users/user.entity';
import { WorkOrderPdfJobsService } from '../work-orders/pdf/work-order-pdf-jobs.service';
import { buildSections, orderAnalytes } from '../work-orders/work-order-sections';
import { WorkOrder } from '../work-orders/work-order.entity';
import { formatProtocolCode, nextProtocolNumber } from './protocol-codes';
import { emitProtocolUpdated } from './protocol-events';
import { Protocol } from './protocol.entity';
import { ProtocolsService } from './protocols.service';

export type CreateProtocolDto = z.output<typeof CreateProtocolRequest>;

/**
 * Intake: a protocol with its work order and the first draft report, all in one transaction, so a
 * protocol never exists without the things the lab works on.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly realtime: RealtimeService,
    private readonly protocols: ProtocolsService,
    private readonly workOrderPdfs: WorkOrderPdfJobsService,
  ) {}

  async create(user: AuthUser, dto: CreateProtocolDto): Promise<ProtocolDetail> {
    const created = await writeTransaction(this.em, async (em) => {
      const { clinic, vet } = await this.submitter(em, user, dto);
      const panels = await this.panels(em, dto.panelIds);
      // Validate before taking a number: the counter row stays locked until commit on PostgreSQL.
      const year = new Date().getUTCFullYear();
      const code = formatProtocolCode(year, await nextProtocolNumber(em, year));
      const { animal, owner } = dto;
      const protocol = em.create(Protocol, {
        code,
        clinic,
        vet,
        createdBy: em.getReference(User, user.id),
        animalName: animal.name,
        species: animal.species,
        breed: animal.breed ?? null,
        sex: animal.sex,
        ageMonths: animal.ageMonths ?? null,
        ownerName: owner.name,
        ownerPhone: owner.phone ?? null,
        ownerEmail: owner.email ?? null,
        searchText: Protocol.searchTextOf({ code, animalName: animal.name, ownerName: owner.name }),
        samples: dto.samples,
        notes: dto.notes ?? null,
        priority: dto.priority,
      });
      protocol.panels.set(panels);
  
      const analytes = orderAnalytes(panels.flatMap((p) => p.analytes.getItems()));
      const workOrder = em.create(WorkOrder, { protocol, priority: dto.priority, sections: buildSections(analytes) });
      const report = em.create(Report, { protocol });
      const version = em.create(ReportVersion, { report, number: 1 });
      analytes.forEach((analyte, i) =>
        em.create(ResultRow, { version, analyte, position: i + 1, range: rangeFor(analyte, animal.species) }),
      );
      this.audit.record(em, {
        actorId: user.id,
        entity: 'protocol',
        entityId: protocol.id,
        action: AuditAction.Create,
        after: { code, status: protocol.status, clinicId: clinic.id, vetId: vet?.id ?? null, panelIds: dto.panelIds, priority: dto.priority },
      });
      await em.flush();
      return { protocolId: protocol.id, clinicId: clinic.id, status: protocol.status, version: protocol.version, workOrder: { id: workOrder.id, version: workOrder.contentVersion } };
    });
    emitProtocolUpdated(this.realtime, created);
    // Not awaited: the answer never waits for Redis (prerender logs its own failures).
    void this.workOrderPdfs.prerender(created.workOrder.id, created.workOrder.version);
    return this.protocols.detail(user, created.protocolId);
  }

  /** Whose protocol it is: a vet's own clinic, or the clinic (and optional vet) staff name. */
  private async submitter(em: EntityManager, user: AuthUser, dto: CreateProtocolDto): Promise<{ clinic: Clinic; vet: User | null }> {
    if (user.role === Role.Vet) {
      if (dto.vetId !== undefined) throw invalid('body.vetId', 'vets submit as themselves; leave it out', FieldErrorCode.NotAllowed);
      if (!user.clinicId) throw invalid('body.clinicId', 'your account belongs to no clinic', FieldErrorCode.NotAllowed);
      if (dto.clinicId !== undefined && dto.clinicId !== user.clinicId) throw invalid('body.clinicId', 'vets submit for their own clinic only', FieldErrorCode.NotAllowed);
      return { clinic: em.getReference(Clinic, user.clinicId), vet: em.getReference(User, user.id) };
    }
    if (!dto.clinicId) throw invalid('body.clinicId', 'required when the lab submits on behalf of a clinic', FieldErrorCode.Required);
    const clinic = await em.findOne(Clinic, { id: dto.clinicId });
    if (!clinic) throw invalid('body.clinicId', 'unknown clinic', FieldErrorCode.UnknownReference);
    if (!dto.vetId) return { clinic, vet: null };
    const vet = await em.findOne(User, { id: dto.vetId, role: Role.Vet, clinic: clinic.id });
    if (!vet) throw invalid('body.vetId', 'must be a vet of that clinic', FieldErrorCode.UnknownReference);
    return { clinic, vet };
  }

  /** The requested panels in request order, with their analytes; every unknown id is named. */
  private async panels(em: EntityManager, ids: string[]): Promise<Panel[]> {
    const found = await em.find(Panel, { id: { $in: ids } }, { populate: ['analytes'] });
    const byId = new Map(found.map((p) => [p.id, p]));
    const missing = ids.flatMap((id, i) => (byId.has(id) ? [] : [{ field: `body.panelIds.${i}`, message: 'unknown panel', code: FieldErrorCode.UnknownReference }]));
    if (missing.length) throw invalidFields(missing);
    return ids.map((id) => byId.get(id)!);
  }
}
