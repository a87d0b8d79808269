import type { AuditEntity } from '@vetlab/shared';

/**
 * A record's history: its audit entries, newest first, with before → after made readable.
 * Placed on every record's page (protocol, report, work order, person, clinic, bulk run).
 * (Contract stub of issue 18: the audit helper fills it in.)
 */
export function HistoryTab(_props: { entity: AuditEntity; entityId: string }) {
  return null;
}
