import type { AuditEntryView } from '@vetlab/shared';

export const REPORT_ID = '00000000-0000-4000-8000-0000000000a1';
export const PROTOCOL_ID = '00000000-0000-4000-8000-0000000000b1';

/** An entry as the API answers it; override any part. */
export function entry(over: Partial<AuditEntryView> = {}): AuditEntryView {
  return {
    id: 'e1',
    at: '2026-12-02T15:04:00.000Z',
    actor: { id: 'u-signer', name: 'Dr. Diego Firmante' },
    entity: 'report',
    entityId: REPORT_ID,
    action: 'amend',
    before: { versionNumber: 1, status: 'finalized' },
    after: { versionNumber: 2, status: 'draft', supersedesNumber: 1, reason: 'GLU mal transcrita' },
    jobId: null,
    label: 'P-2026-000123 v2',
    protocolId: PROTOCOL_ID,
    names: {},
    ...over,
  };
}
