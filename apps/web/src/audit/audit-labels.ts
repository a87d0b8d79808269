import { AuditEntity, values, type AuditAction, type AuditEntryView } from '@vetlab/shared';
import { catalogue, type MessageKey } from '../i18n/catalogue';
import type { Translate } from '../i18n/i18n';

export const actionLabel = (t: Translate, action: AuditAction) => t(`audit.action.${action}` as MessageKey);
/** A kind of record in the lab's words; an unknown kind (a newer server) shows as it is. */
export const entityLabel = (t: Translate, entity: string) => (ENTITIES.has(entity) ? t(`audit.entity.${entity}` as MessageKey) : entity);
const ENTITIES = new Set<string>(values(AuditEntity));

/** The page that shows the record, when there is one: its protocol, bulk run, person or clinic. */
export function recordLink(e: Pick<AuditEntryView, 'entity' | 'entityId' | 'protocolId'>): string | null {
  switch (e.entity) {
    case 'protocol':
    case 'work_order':
      return e.protocolId ? `/protocols/${e.protocolId}` : null;
    case 'report':
      return e.protocolId ? `/protocols/${e.protocolId}?tab=report` : null;
    case 'bulk_run':
      return `/bulk/${e.entityId}`;
    case 'user':
      return `/admin/people/${e.entityId}`;
    case 'clinic':
      return `/clinics/${e.entityId}`;
    default:
      return null;
  }
}

/** The record's name: its label (a queue's in the lab's words), or the start of its id when it has none (a job, a deleted record). */
export function recordName(t: Translate, e: Pick<AuditEntryView, 'entity' | 'label' | 'entityId'>): string {
  if (e.entity === 'queue' && e.label && `ops.queue.${e.label}` in catalogue) return t(`ops.queue.${e.label}` as MessageKey);
  return e.label ?? e.entityId.slice(0, 8);
}
