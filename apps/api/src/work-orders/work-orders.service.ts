import { EntityManager, FilterQuery } from '@mikro-orm/core';
import { writeTransaction } from '../database/database';
import { Injectable } from '@nestjs/common';
import { AuditAction, UpdateWorkOrderRequest, WorkOrderView } from '@vetlab/shared';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../auth/auth-user';
import { notFound, stale } from '../common/domain-error';
import { canSeeClinic } from '../protocols/protocol-access';
import { WorkOrderPdfJobsService } from './pdf/work-order-pdf-jobs.service';
import { planWorkOrderEdit } from './work-order-edits';
import { WorkOrder } from './work-order.entity';

/** Needs the protocol loaded (code). */
export const toWorkOrderView = (wo: WorkOrder): WorkOrderView => ({
  id: wo.id,
  protocolId: wo.protocol.id,
  protocolCode: wo.protocol.code,
  priority: wo.priority,
  instructions: wo.instructions,
  sections: wo.sections,
  contentVersion: wo.contentVersion,
  updatedAt: wo.updatedAt.toISOString(),
});

@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly pdfs: WorkOrderPdfJobsService,
  ) {}

  view(user: AuthUser, id: string): Promise<WorkOrderView> {
    return this.load(this.em, user, { id }).then(toWorkOrderView);
  }

  viewByProtocol(user: AuthUser, protocolId: string): Promise<WorkOrderView> {
    return this.load(this.em, user, { protocol: protocolId }).then(toWorkOrderView);
  }

  /** Staff/admin edit; contentVersion is the optimistic lock and is bumped by every save. */
  async update(user: AuthUser, id: string, dto: UpdateWorkOrderRequest): Promise<WorkOrderView> {
    const wo = await writeTransaction(this.em, async (em) => {
      const wo = await this.load(em, user, { id });
      if (dto.contentVersion !== wo.contentVersion) throw stale('work order');
      const plan = planWorkOrderEdit(wo, dto);
      em.assign(wo, plan.changes);
      // Touch it so that even an edit that changes nothing visible yields a new version (and PDF key).
      wo.updatedAt = new Date();
      this.audit.record(em, { actorId: user.id, entity: 'work_order', entityId: wo.id, action: AuditAction.WorkOrderEdit, before: plan.before, after: plan.after });
      await em.flush();
      return wo;
    });
    // The new version's PDF, rendered in the background so the next open is a cache hit (not
    // awaited: the answer never waits for Redis; prerender logs its own failures).
    void this.pdfs.prerender(wo.id, wo.contentVersion);
    return toWorkOrderView(wo);
  }

  /** Another clinic's work order is "not found" for a vet, exactly like a missing one. */
  private async load(em: EntityManager, user: AuthUser, where: FilterQuery<WorkOrder>): Promise<WorkOrder> {
    const wo = await em.findOne(WorkOrder, where, { populate: ['protocol'] });
    if (!wo || !canSeeClinic(user, wo.protocol.clinic.id)) throw notFound('work order');
    return wo;
  }
}
