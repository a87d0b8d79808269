import { FieldErrorCode, Priority, UpdateWorkOrderRequest, WorkOrderSectionView } from '@vetlab/shared';
import { invalid } from '../common/domain-error';

export interface WorkOrderContent {
  priority: Priority;
  instructions: string | null;
  sections: WorkOrderSectionView[];
}

export interface WorkOrderEditPlan {
  /** New values of the fields that change (sections as a whole new array). */
  changes: Partial<WorkOrderContent>;
  /** Audit trail: the changed fields only, before and after (requirements keyed by section). */
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * What an edit changes. A requirement for a section the work order does not have is a client
 * error naming that entry (`body.requirements.N.section`).
 */
export function planWorkOrderEdit(current: WorkOrderContent, dto: Omit<UpdateWorkOrderRequest, 'contentVersion'>): WorkOrderEditPlan {
  const plan: WorkOrderEditPlan = { changes: {}, before: {}, after: {} };
  if (dto.priority !== undefined && dto.priority !== current.priority) {
    plan.changes.priority = dto.priority;
    plan.before.priority = current.priority;
    plan.after.priority = dto.priority;
  }
  const instructions = dto.instructions === undefined ? undefined : dto.instructions || null;
  if (instructions !== undefined && instructions !== current.instructions) {
    plan.changes.instructions = instructions;
    plan.before.instructions = current.instructions;
    plan.after.instructions = instructions;
  }
  if (dto.requirements?.length) {
    const sections = current.sections.map((s) => ({ ...s }));
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    dto.requirements.forEach((r, i) => {
      const s = sections.find((x) => x.section === r.section);
      if (!s) throw invalid(`body.requirements.${i}.section`, `this work order has no ${r.section} section`, FieldErrorCode.UnknownReference);
      if (s.requirement === r.requirement) return;
      before[r.section] ??= s.requirement;
      after[r.section] = r.requirement;
      s.requirement = r.requirement;
    });
    if (Object.keys(after).length) {
      plan.changes.sections = sections;
      plan.before.requirements = before;
      plan.after.requirements = after;
    }
  }
  return plan;
}
