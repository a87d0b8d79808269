import { z } from 'zod';
import { AuditAction, AuditEntity, values } from '../enums';
import { PageQuery, Ref } from './common';

/**
 * The audit trail's filters (all optional; together they narrow): who, what kind of record, which
 * record, what action, and a time range [from, to). Staff may ask only for lab records.
 */
export const AuditListQuery = PageQuery.extend({
  actorId: z.uuid().optional(),
  entity: z.enum(values(AuditEntity)).optional(),
  entityId: z.uuid().optional(),
  action: z.enum(values(AuditAction)).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from', params: { code: 'invalid_value' } });
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
