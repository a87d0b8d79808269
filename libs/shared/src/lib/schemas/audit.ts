import { z } from 'zod';
import { AuditAction, values } from '../enums';
import { PageQuery, Ref } from './common';

export const AuditListQuery = PageQuery.extend({
  entity: z.string().trim().min(1).max(40).optional().describe('protocol, work_order, report, user'),
  entityId: z.uuid().optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntryView = z
  .object({
    id: z.string(),
    at: z.string(),
    /** Null when the system did it. */
    actor: Ref.nullable(),
    entity: z.string(),
    entityId: z.string(),
    action: z.enum(values(AuditAction)),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    jobId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntryView' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;
